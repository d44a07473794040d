package sandbox

import (
	"math/rand/v2"
	"slices"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// malformedSalt separates the generator of malformed values from the
// dataset's own, so adding them left every other value as it was.
const malformedSalt = 0xbb67ae8584caa73b

// malformedRate is the share of filled custom values of a parsed kind
// (select lists, dates, numbers, date-times, phones) stored malformed, as
// data imported into a real tenant sometimes is.
const malformedRate = 0.02

// malformedValues are what such values look like: text a person typed or
// an import wrote where Tanma expects its encoding.
var malformedValues = map[int][]string{
	tanma.FieldMultiSelect: {`[133175001`, `基础版,专业版`},
	tanma.FieldDate:        {`2023/05/17`, `下周三`},
	tanma.FieldNumber:      {`约5万`, `1,200`},
	tanma.FieldDateTime:    {`2024-02-30 25:61:00`, `明天下午`},
	tanma.FieldPhone:       {`13800000000`, `138 0000 0000`},
}

// malformSome replaces a few filled custom values with malformed ones.
// Sandbox choice: which values Tanma stores malformed is not documented;
// the gateway must type everything else and say which ones failed.
func (d *Dataset) malformSome(seed uint64) {
	r := rand.New(rand.NewPCG(seed^malformedSalt, seed))
	custom := map[string]bool{}
	for _, f := range d.Fields {
		custom[f.Key] = !f.System
	}
	for i := range d.Customers {
		for j, f := range d.Customers[i].Fields {
			bad, ok := malformedValues[f.Type]
			if !ok || !custom[f.Field] || f.ValueAsText == nil || r.Float64() >= malformedRate {
				continue
			}
			d.Customers[i].Fields[j].ValueAsText = str(bad[r.IntN(len(bad))])
		}
	}
}

// Malformed reports whether text is one of the values the sandbox stores
// malformed on purpose (tests expect a problem for exactly these).
func Malformed(text string) bool {
	for _, vs := range malformedValues {
		if slices.Contains(vs, text) {
			return true
		}
	}
	return false
}
