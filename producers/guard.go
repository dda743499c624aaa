package producers

import (
	"errors"
	"fmt"

	"github.com/repodelta/repodelta/events"
)

// ErrRefused is wrapped by Guard.Check when a snapshot looks truncated.
var ErrRefused = errors.New("snapshot refused")

// Guard refuses snapshots that would turn a truncated or wrong index into a
// flood of removals. The zero value refuses nothing; DefaultGuard is what
// the CLI uses unless configured otherwise.
type Guard struct {
	// MaxRemovalShare is the largest share (0..1] of the previous snapshot's
	// packages one snapshot may remove; 0 means no limit.
	MaxRemovalShare float64
	// MinPackages is the fewest packages a snapshot may hold; 0 means no
	// limit.
	MinPackages int
	// Force lets a refused snapshot through (it is marked as forced).
	Force bool
}

// DefaultGuard refuses a snapshot that removes more than half of a
// repository's packages.
var DefaultGuard = Guard{MaxRemovalShare: 0.5}

// Check returns an error wrapping ErrRefused when the snapshot whose counts
// are given should not be committed over a previous one of prevPackages
// packages, unless Force is set.
func (g Guard) Check(repo string, prevPackages int, c events.Counts) error {
	if g.Force {
		return nil
	}
	var errs []error
	if g.MinPackages > 0 && c.Packages < g.MinPackages {
		errs = append(errs, fmt.Errorf("%w: %s would hold %d packages, below minpackages %d", ErrRefused, repo, c.Packages, g.MinPackages))
	}
	if g.MaxRemovalShare > 0 && prevPackages > 0 {
		if share := float64(c.Disappeared) / float64(prevPackages); share > g.MaxRemovalShare {
			errs = append(errs, fmt.Errorf("%w: %s would remove %d of %d packages (%.1f%%, limit %.1f%%); force it if this is intended",
				ErrRefused, repo, c.Disappeared, prevPackages, 100*share, 100*g.MaxRemovalShare))
		}
	}
	return errors.Join(errs...)
}
