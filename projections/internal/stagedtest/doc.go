// Package stagedtest holds what the tests of the staged projections
// (maintainers, links) share: the corpus story, applying it in batches,
// folding it into the packages it leaves, and queries of the server.
package stagedtest
