package refdata

import (
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// FieldSet is the customer field definitions, indexed by the keys customers'
// fields arrays use.
type FieldSet struct {
	Defs  []*FieldDef      // in upstream order
	Keys  []tanma.FieldKey // each definition's key, in the same order
	byKey map[string]*FieldDef
}

// FieldDef is a field definition with its key and option labels resolved.
type FieldDef struct {
	tanma.FieldDef
	Key     string            // the key customers' fields arrays use
	options map[string]string // option id → label
}

// systemKeys names the system fields by the labels Tanma gives them, for
// definitions that carry no outerField: Tanma documents no other link
// between a definition and the fixed keys of customers' fields arrays.
var systemKeys = map[string]string{
	"客户来源": tanma.KeySource, "来源": tanma.KeySource,
	"描述": tanma.KeyDescription, "客户描述": tanma.KeyDescription, "备注": tanma.KeyDescription,
	"电话": tanma.KeyMobile, "手机": tanma.KeyMobile, "手机号": tanma.KeyMobile, "手机号码": tanma.KeyMobile,
	"地址": tanma.KeyAddress, "生日": tanma.KeyBirthday,
	"公司名称": tanma.KeyCorpName, "企业名称": tanma.KeyCorpName, "公司": tanma.KeyCorpName,
	"姓名": tanma.KeyName, "客户名称": tanma.KeyName, "客户姓名": tanma.KeyName,
	"购买意向": tanma.KeyPurchaseIntention, "性别": tanma.KeyGender, "客户阶段": tanma.KeyStage,
}

// SystemLabels are the labels of the system fields, used when no definition
// names them.
var SystemLabels = map[string]string{
	tanma.KeySource: "客户来源", tanma.KeyDescription: "描述", tanma.KeyMobile: "电话",
	tanma.KeyAddress: "地址", tanma.KeyBirthday: "生日", tanma.KeyCorpName: "公司名称",
	tanma.KeyName: "姓名", tanma.KeyPurchaseIntention: "购买意向", tanma.KeyGender: "性别",
	tanma.KeyStage: "客户阶段",
}

// NewFieldSet indexes definitions. A definition is found by its outerField,
// by its id as text (how custom fields are keyed), and, for system fields
// without an outerField, by the fixed key its label stands for. A system
// field is known by its label whatever its stable flag says (Tanma's own
// list-fields example sends 生日 with "stable": false); the other names a
// system field goes by are trusted only on stable definitions, where a
// tenant's custom field cannot be meant.
func NewFieldSet(defs []tanma.FieldDef) *FieldSet {
	s := &FieldSet{byKey: make(map[string]*FieldDef, 2*len(defs))}
	for _, d := range defs {
		fd := &FieldDef{FieldDef: d, options: make(map[string]string, len(d.Items))}
		for _, it := range d.Items {
			fd.options[string(it.ID)] = it.Name
		}
		switch {
		case d.OuterField != nil && strings.TrimSpace(*d.OuterField) != "":
			fd.Key = strings.TrimSpace(*d.OuterField)
		case systemKey(d) != "" && s.byKey[systemKey(d)] == nil: // a second one is a custom field so named
			fd.Key = systemKey(d)
		default:
			fd.Key = d.ID.String()
		}
		s.Defs = append(s.Defs, fd)
		s.Keys = append(s.Keys, tanma.FieldKey{ID: d.ID, Key: fd.Key, Type: d.Type})
		s.add(fd.Key, fd)
		s.add(d.ID.String(), fd)
	}
	return s
}

// systemKey is the fixed key of a system field definition, "" for another.
func systemKey(d tanma.FieldDef) string {
	name := strings.TrimSpace(d.Name)
	key := systemKeys[name]
	if key == "" || !d.Stable && SystemLabels[key] != name {
		return ""
	}
	return key
}

func (s *FieldSet) add(key string, d *FieldDef) {
	if _, taken := s.byKey[key]; !taken {
		s.byKey[key] = d
	}
}

// ByKey returns the definition of the field a customer's fields array keys
// as key. A nil set finds nothing.
func (s *FieldSet) ByKey(key string) (*FieldDef, bool) {
	if s == nil {
		return nil, false
	}
	d, ok := s.byKey[key]
	return d, ok
}

// System reports a built-in field of Tanma's: stable, or keyed by one of
// the fixed system keys (a system field whose stable flag is false).
func (d *FieldDef) System() bool {
	_, fixed := SystemLabels[d.Key]
	return d.Stable || fixed
}

// OptionLabel returns the label of a select option by id.
func (d *FieldDef) OptionLabel(id string) (string, bool) {
	if d == nil {
		return "", false
	}
	l, ok := d.options[id]
	return l, ok
}
