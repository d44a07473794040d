package refdata

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestFieldSetFindsDefinitionsByEveryKnownKey: Tanma documents no property
// tying a definition to the keys of customers' fields arrays, so a
// definition is found by outerField, by its id as text, and for system
// fields without outerField by the fixed key its label stands for.
func TestFieldSetFindsDefinitionsByEveryKnownKey(t *testing.T) {
	t.Parallel()
	var defs []tanma.FieldDef
	require.NoError(t, json.Unmarshal([]byte(`[
	  {"id":429,"name":"电话","type":8,"outerField":null,"stable":true,"customerImportRequired":true},
	  {"id":436,"name":"性别","type":2,"outerField":null,"items":[{"id":0,"name":"其它"},{"id":1,"name":"男"}],"stable":true},
	  {"id":355,"name":"生日","type":3,"outerField":null,"stable":false},
	  {"id":91642,"name":"阶段","type":2,"outerField":"customer_stage","items":[{"id":396823724189760,"name":"初步接触"}],"stable":true},
	  {"id":91650,"name":"电话","type":8,"outerField":null,"stable":false}
	]`), &defs))
	set := NewFieldSet(defs)
	cases := []struct {
		name, key string
		wantID    tanma.ID
	}{
		{"system field by label", tanma.KeyMobile, 429},
		{"system select by label", tanma.KeyGender, 436},
		{"by outerField", tanma.KeyStage, 91642},
		{"by id as text", "91642", 91642},
		{"system field whose stable flag is false (Tanma's own example), by label", tanma.KeyBirthday, 355},
		{"and by id", "355", 355},
		{"custom field named like a system field keeps its id key", "91650", 91650},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, ok := set.ByKey(tc.key)
			require.True(t, ok)
			assert.Equal(t, tc.wantID, d.ID)
		})
	}
	assert.Equal(t, "91650", set.Defs[4].Key, "the second 电话 is a custom field so named")
	d, _ := set.ByKey(tanma.KeyGender)
	label, ok := d.OptionLabel("0")
	assert.True(t, ok)
	assert.Equal(t, "其它", label)
	stage, _ := set.ByKey(tanma.KeyStage)
	label, _ = stage.OptionLabel("396823724189760")
	assert.Equal(t, "初步接触", label, "big numeric option ids keep every digit")
	var none *FieldSet
	_, ok = none.ByKey("x")
	assert.False(t, ok)
}

// TestCustomFieldLabelledLikeASystemFieldKeepsItsOwnKey: a tenant's custom
// field named like a system field does not take the system field's key,
// whichever comes first: a stable definition wins, then the lowest id.
func TestCustomFieldLabelledLikeASystemFieldKeepsItsOwnKey(t *testing.T) {
	t.Parallel()
	custom := tanma.FieldDef{ID: 133990, Name: "客户阶段", Type: tanma.FieldSelect}
	system := tanma.FieldDef{ID: 91642, Name: "客户阶段", Type: tanma.FieldSelect, Stable: true}
	customBirthday := tanma.FieldDef{ID: 133991, Name: "生日", Type: tanma.FieldDate}
	systemBirthday := tanma.FieldDef{ID: 355, Name: "生日", Type: tanma.FieldDate} // stable: false, as Tanma's example sends it
	for _, tc := range []struct {
		name string
		defs []tanma.FieldDef
	}{
		{"custom first", []tanma.FieldDef{custom, customBirthday, system, systemBirthday}},
		{"system first", []tanma.FieldDef{system, systemBirthday, custom, customBirthday}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := NewFieldSet(tc.defs)
			stage, ok := set.ByKey(tanma.KeyStage)
			require.True(t, ok)
			assert.Equal(t, system.ID, stage.ID)
			birthday, ok := set.ByKey(tanma.KeyBirthday)
			require.True(t, ok)
			assert.Equal(t, systemBirthday.ID, birthday.ID)
			own, ok := set.ByKey("133990")
			require.True(t, ok)
			assert.Equal(t, "133990", own.Key, "the custom field keeps its id as key")
			rank, ok := set.Rank("91642")
			require.True(t, ok)
			byKey, _ := set.Rank(tanma.KeyStage)
			assert.Equal(t, rank, byKey, "one rank whatever key names it")
		})
	}
}
