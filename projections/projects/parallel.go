package projects

import (
	"context"
	"sync"
)

// parallel runs the steps at once, each on the shared connection pool,
// and returns the first error once all have returned; that error cancels
// the context of the others.
func parallel(ctx context.Context, steps ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for _, step := range steps {
		wg.Go(func() {
			if err := step(ctx); err != nil {
				once.Do(func() { first = err })
				cancel()
			}
		})
	}
	wg.Wait()
	return first
}
