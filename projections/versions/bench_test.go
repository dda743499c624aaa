package versions_test

import (
	"testing"

	"github.com/repodelta/repodelta/projections/versions"
)

// benchPairs are version pairs of the kinds a status computation meets.
var benchPairs = [][2]string{
	{"1.2.3", "1.2.4"},
	{"2.38.1", "2.38.1"},
	{"1.0alpha1", "1.0rc2"},
	{"3.12.0rc1", "3.12.0"},
	{"1.1.1w", "1.1.2"},
	{"20240101", "2023.12.31"},
	{"5.15.0-91-generic", "5.15.0.91"},
	{"1.2.3.4.5.6.7.8.9", "1.2.3.4.5.6.7.8.10"},
}

var debianBenchPairs = [][2]string{
	{"1.2.3-1", "1.2.3-2"},
	{"1:2.38.1-5+deb12u1", "1:2.38.1-5"},
	{"1.0~rc1-1", "1.0-1"},
	{"2.30-1ubuntu1", "2.30-1ubuntu1~22.04"},
	{"1.2.3+dfsg-1+b1", "1.2.3+dfsg-1"},
}

var sink int

func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := benchPairs[i%len(benchPairs)]
		sink += versions.Compare(p[0], p[1])
	}
}

func BenchmarkCompareFlags(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := benchPairs[i%len(benchPairs)]
		sink += versions.CompareFlags(p[0], p[1], versions.PIsPatch, versions.UpperBound)
	}
}

func BenchmarkDebianCompare(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := debianBenchPairs[i%len(debianBenchPairs)]
		sink += versions.DebianCompare(p[0], p[1])
	}
}

func BenchmarkNormalizeDebian(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := debianBenchPairs[i%len(debianBenchPairs)]
		sink += len(versions.Normalize("debian", p[i%2]))
	}
}
