package staged_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/internal/staged"
)

func TestDeltaChangedIsTheDifferenceOfEachKeysSides(t *testing.T) {
	var d staged.Delta[int]
	d.Add("k", false, []int{1, 2})
	d.Add("k", true, []int{2, 3})
	d.Add("l", true, []int{4})
	d.Add("l", false, []int{4})
	d.Add("m", false, []int{1})
	assert.Equal(t, []int{1, 1, 3}, slices.Sorted(d.Changed()))
}

func TestAnEmptyDeltaChangesNothing(t *testing.T) {
	var d staged.Delta[int]
	assert.Empty(t, slices.Collect(d.Changed()))
}
