// Package projectortest is the test suite every projection passes, and
// the helpers it is built from: a Log that places events on partitions as
// the producer does, stories of snapshots taken with the real producer from
// index files (small ones in testdata for golden files, larger ones from
// the shared corpus), a fresh migrated database on the test ClickHouse, and
// dumps of a projection's query surface to compare.
//
// A projection's test calls Run with a Harness naming its constructor, its
// query surface and its golden files:
//
//	func TestProjectorSuite(t *testing.T) {
//		projectortest.Run(t, projectortest.Harness{
//			New:     func(db string) consumers.Projection { return packages.New(db) },
//			Surface: []projectortest.Query{{Name: "packages", SQL: "SELECT * FROM {{db}}.packages ORDER BY repository_id, key"}},
//			Golden:  "testdata",
//			Update:  *update,
//		})
//	}
//
// It needs the ClickHouse server of internal/testenv (REPODELTA_REQUIRE
// makes its absence a failure) and the corpus beside the project
// (../shared/corpus).
package projectortest
