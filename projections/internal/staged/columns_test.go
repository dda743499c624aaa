package staged_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/internal/staged"
)

func TestInList(t *testing.T) {
	assert.Equal(t, " AND id IN (1,22)", staged.InList("id", []uint64{1, 22}))
	assert.Empty(t, staged.InList("id", make([]uint64, staged.MaxInlineIDs+1)), "too many to list")
}
