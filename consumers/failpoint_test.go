package consumers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFailpoint(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		point       string
		nth         int64
		batchSize   int
	}{
		{"a bare point fires on the first batch", "after-fetch", AfterFetch, 1, 0},
		{"a batch number picks the N-th batch", "after-apply:7", AfterApply, 7, 0},
		{"a batch size overrides the configured one", "after-commit:3,batch-size=250", AfterCommit, 3, 250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fp, err := parseFailpoint(tc.value)
			require.NoError(t, err)
			assert.Equal(t, tc.point, fp.point)
			assert.Equal(t, tc.nth, fp.nth)
			assert.Equal(t, tc.batchSize, fp.batchSize)
		})
	}
}

func TestParseFailpointRejectsBadValues(t *testing.T) {
	for _, v := range []string{"after-lunch", "after-fetch:0", "after-fetch:x", "after-apply:2,batch-size=0", "after-apply,size=3"} {
		_, err := parseFailpoint(v)
		assert.Error(t, err, v)
	}
}

func TestAFailpointFiresOnceOnItsNthBatchOfItsPoint(t *testing.T) {
	fp, err := parseFailpoint("after-apply:3")
	require.NoError(t, err)
	kills := 0
	fp.kill = func() { kills++ }
	for range 5 {
		fp.reach(AfterFetch)
		fp.reach(AfterApply)
		fp.reach(AfterCommit)
		if fp.reached.Load() < 3 {
			assert.Zero(t, kills, "not before the third batch")
		}
	}
	assert.Equal(t, 1, kills)
}

func TestNoFailpointCostsNothing(t *testing.T) {
	var fp *failpoint
	fp.reach(AfterFetch) // no panic, no kill
	assert.Equal(t, 5000, fp.batchSizeOr(5000))
	assert.Zero(t, testing.AllocsPerRun(100, func() { fp.reach(AfterApply) }))
}

func TestArmFailpointArmsAndDisarms(t *testing.T) {
	t.Cleanup(func() { armed = nil })
	require.NoError(t, ArmFailpoint("after-commit:2,batch-size=7"))
	require.NotNil(t, armed)
	assert.Equal(t, 7, armed.batchSizeOr(5000))
	require.NoError(t, ArmFailpoint(""))
	assert.Nil(t, armed)
	assert.ErrorContains(t, ArmFailpoint("before-lunch"), FailpointEnv)
	assert.Nil(t, armed, "a bad value arms nothing")
}
