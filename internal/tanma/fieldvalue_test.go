package tanma_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

func TestFieldValueReaders(t *testing.T) {
	t.Parallel()
	ids, ok := tanma.ParseOptionIDs(`[1, "2", " "]`)
	assert.True(t, ok)
	assert.Equal(t, []string{"1", "2"}, ids)
	ids, ok = tanma.ParseOptionIDs("3，4, 5")
	assert.True(t, ok)
	assert.Equal(t, []string{"3", "4", "5"}, ids)
	_, ok = tanma.ParseOptionIDs("[1,")
	assert.False(t, ok)

	phones, ok := tanma.ParsePhones(`[13800000000, "010-1234"]`)
	assert.True(t, ok)
	assert.Equal(t, []string{"13800000000", "010-1234"}, phones)
	phones, ok = tanma.ParsePhones("138 0000")
	assert.False(t, ok)
	assert.Empty(t, phones, "not an array: nothing read")
	phones, ok = tanma.ParsePhones(`[1.38e10, "13900000000"]`)
	assert.False(t, ok, "a number in exponent form lost its digits")
	assert.Equal(t, []string{"13900000000"}, phones, "only what could be read")

	d, ok := tanma.ParseDate("1990-05-17 00:00:00")
	assert.True(t, ok)
	assert.Equal(t, "1990-05-17", tanma.FormatDate(d))
	dt, ok := tanma.ParseDateTime("2026-01-02 03:04")
	assert.True(t, ok)
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 0, 0, tanma.Shanghai).Unix(), dt.Unix())
	n, ok := tanma.ParseNumber(" 12.5 ")
	assert.True(t, ok)
	assert.Equal(t, "12.5", tanma.FormatNumber(n))
	for _, text := range []string{"NaN", "0x1p4", "1e5", "1E5", "Inf", "1_000", "+5", ".5", "5.", "--1", "1,000", ""} {
		_, ok = tanma.ParseNumber(text)
		assert.False(t, ok, "%q is not a decimal Tanma writes", text)
	}
	n, ok = tanma.ParseNumber("-0.25")
	assert.True(t, ok)
	assert.Equal(t, -0.25, n)
	for _, text := range []string{"2024-01-01 25:99:99", "2024-01-01 garbage", "2024-02-30"} {
		_, ok = tanma.ParseDate(text)
		assert.False(t, ok, "%q is no date", text)
	}
}

// TestFieldWriters: an update names fields and select options by label; a
// new clue sends numbers and numeric option ids as JSON numbers, multi
// selects and phones as arrays, and leaves cleared fields out.
func TestFieldWriters(t *testing.T) {
	t.Parallel()
	gender := tanma.FieldDef{Name: "性别", Type: tanma.FieldSelect, Items: []tanma.FieldItem{{ID: "0", Name: "男"}, {ID: "1", Name: "女"}}}
	hobbies := tanma.FieldDef{Name: "爱好", Type: tanma.FieldMultiSelect, Items: []tanma.FieldItem{{ID: "a", Name: "跑步"}, {ID: "b", Name: "读书"}}}
	ws := []tanma.FieldWrite{
		{Def: gender, Values: []string{"1"}},
		{Def: hobbies, Values: []string{"a", "b"}},
		{Def: tanma.FieldDef{Name: "预算", Type: tanma.FieldNumber}, Values: []string{"12.5"}},
		{Def: tanma.FieldDef{Name: "描述", Type: tanma.FieldText}, Values: []string{}},
	}
	up, err := json.Marshal(tanma.UpdateFields(ws))
	require.NoError(t, err)
	assert.JSONEq(t, `[{"alias":"性别","values":["女"]},{"alias":"爱好","values":["跑步","读书"]},
		{"alias":"预算","values":["12.5"]},{"alias":"描述","values":[]}]`, string(up))
	clue, err := json.Marshal(tanma.ClueFields(ws))
	require.NoError(t, err)
	assert.JSONEq(t, `[{"alias":"性别","fieldValue":1},{"alias":"爱好","fieldValue":["a","b"]},
		{"alias":"预算","fieldValue":12.5}]`, string(clue))
}
