package projects_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/projects"
)

func TestClassify(t *testing.T) {
	const (
		N = projects.Newest
		O = projects.Outdated
		L = projects.Legacy
		D = projects.Devel
		U = projects.Unique
		I = projects.Ignored
	)
	deb := func(repo, v string) projects.Member {
		return projects.Member{RepositoryID: repo, Family: "debian", Version: v}
	}
	fam := func(repo, family, v string) projects.Member {
		return projects.Member{RepositoryID: repo, Family: family, Version: v}
	}
	tests := []struct {
		name    string
		members []projects.Member
		want    []projects.Status
		newest  string
		devel   string
	}{
		{"the greatest version across families is newest, the others outdated",
			[]projects.Member{deb("bookworm", "1.0-1"), fam("noble", "ubuntu", "1.1-1")},
			[]projects.Status{O, N}, "1.1", ""},
		{"an older package beside the newest one in its repository is legacy",
			[]projects.Member{deb("bookworm", "1.1-1"), deb("bookworm", "1.0-1"), fam("noble", "ubuntu", "1.1-2")},
			[]projects.Status{N, L, N}, "1.1", ""},
		{"in a one-family project the newest packages are unique and older ones keep their status",
			[]projects.Member{deb("bookworm", "1.0-1"), deb("trixie", "1.1-1"), deb("trixie", "1.0-1")},
			[]projects.Status{O, U, L}, "1.1", ""},
		{"epochs, revisions and repack markers are not compared",
			[]projects.Member{deb("bookworm", "1:2.0+dfsg-3"), fam("arch", "arch", "2.0-1")},
			[]projects.Status{N, N}, "2.0", ""},
		{"a pre-release above the newest release is devel and leaves the newest alone",
			[]projects.Member{deb("sid", "2.0~rc1-1"), fam("noble", "ubuntu", "1.5-1")},
			[]projects.Status{D, N}, "1.5", "2.0~rc1"},
		{"a pre-release below the newest release is outdated",
			[]projects.Member{deb("bookworm", "1.0~beta1-1"), fam("noble", "ubuntu", "1.0-1")},
			[]projects.Status{O, N}, "1.0", ""},
		{"with no release at all every pre-release is devel and there is no newest",
			[]projects.Member{deb("sid", "2.0~rc1-1"), fam("noble", "ubuntu", "2.0~beta2-1")},
			[]projects.Status{D, D}, "", "2.0~rc1"},
		{"devel stays devel in a one-family project",
			[]projects.Member{deb("sid", "3.0~alpha1-1"), deb("bookworm", "2.4-1")},
			[]projects.Status{D, U}, "2.4", "3.0~alpha1"},
		{"a version without digits is ignored and never the newest",
			[]projects.Member{fam("nixpkgs", "nix", "unstable"), deb("bookworm", "0.9-1"), fam("noble", "ubuntu", "0.8-1")},
			[]projects.Status{I, N, O}, "0.9", ""},
		{"a version that normalises to nothing is ignored",
			[]projects.Member{fam("nixpkgs", "nix", ""), deb("bookworm", "1.0-1"), fam("noble", "ubuntu", "1.0-1")},
			[]projects.Status{I, N, N}, "1.0", ""},
		{"a project of ignored versions only has no newest",
			[]projects.Member{fam("nixpkgs", "nix", "latest"), deb("bookworm", "snapshot-1")},
			[]projects.Status{I, I}, "", ""},
		{"snapshot words other than pre-release keywords are releases",
			[]projects.Member{deb("sid", "2.0~git20240101-1"), fam("noble", "ubuntu", "1.5-1")},
			[]projects.Status{N, O}, "2.0~git20240101", ""},
		{"versions that compare equal are all newest; the newest text is the greatest",
			[]projects.Member{deb("bookworm", "1.0-1"), fam("arch", "arch", "1.0.0-1")},
			[]projects.Status{N, N}, "1.0.0", ""},
		{"a letter suffix is above the next patch release",
			[]projects.Member{fam("arch", "arch", "1.0a-1"), deb("bookworm", "1.0.1-1")},
			[]projects.Status{N, O}, "1.0a", ""},
		{"family flags apply: alpine's _p is a patch level",
			[]projects.Member{fam("alpine", "alpine", "1.2_p1-r0"), fam("arch", "arch", "1.2-1")},
			[]projects.Status{N, O}, "1.2_p1", ""},
		{"no packages, no statuses",
			nil, []projects.Status{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := projects.Classify(tt.members)
			assert.Equal(t, tt.want, v.Statuses)
			assert.Equal(t, tt.newest, v.Newest, "newest")
			assert.Equal(t, tt.devel, v.Devel, "devel")
		})
	}
}

func TestClassifyIgnoresTheOrderOfMembers(t *testing.T) {
	members := []projects.Member{
		{RepositoryID: "a", Family: "debian", Version: "1.0-1"},
		{RepositoryID: "b", Family: "arch", Version: "1.0.0-1"},
		{RepositoryID: "c", Family: "ubuntu", Version: "2.0~rc1-1"},
		{RepositoryID: "c", Family: "ubuntu", Version: "0.9-1"},
		{RepositoryID: "d", Family: "nix", Version: "unstable"},
	}
	want := projects.Classify(members)
	for shift := 1; shift < len(members); shift++ {
		rotated := append(append([]projects.Member(nil), members[shift:]...), members[:shift]...)
		got := projects.Classify(rotated)
		assert.Equal(t, want.Newest, got.Newest)
		assert.Equal(t, want.Devel, got.Devel)
		for i := range rotated {
			assert.Equal(t, want.Statuses[(i+shift)%len(members)], got.Statuses[i], "member %d rotated by %d", i, shift)
		}
	}
}
