package refdata

import (
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// FieldSet is the customer field definitions, indexed by the keys customers'
// fields arrays use.
type FieldSet struct {
	Defs []*FieldDef // in upstream order
	// LeftOut counts the entries Tanma listed that are no definition
	// (tanma.FieldDef.LeftOut): values of their fields show as undefined.
	LeftOut int
	Keys    []tanma.FieldKey // each definition's key, in the same order
	byKey   map[string]*FieldDef
	rank    map[*FieldDef]int // a definition's position in Defs
}

// FieldDef is a field definition with its key and option labels resolved.
type FieldDef struct {
	tanma.FieldDef
	Key     string             // the key customers' fields arrays use
	options map[string]*string // option id → label (in Items)
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

// IsSystemKey reports whether key is one of Tanma's fixed system field
// keys (SystemLabels).
func IsSystemKey(key string) bool {
	_, ok := SystemLabels[key]
	return ok
}

// NewFieldSet indexes definitions. A definition is found by its outerField,
// by its id as text (how custom fields are keyed), and, for system fields
// without an outerField, by the fixed key its label stands for. A system
// field is known by its label whatever its stable flag says (Tanma's own
// list-fields example sends 生日 with "stable": false); the other names a
// system field goes by are trusted only on stable definitions, where a
// tenant's custom field cannot be meant. When several definitions could
// take one fixed key (a custom field labelled like a system field), the one
// most like Tanma's own takes it, whatever their order: a stable one first,
// then the one with the lowest id (system fields come with the tenant,
// custom fields later); the others are keyed by their ids.
func NewFieldSet(defs []tanma.FieldDef) *FieldSet {
	s := &FieldSet{byKey: make(map[string]*FieldDef, 2*len(defs)), rank: make(map[*FieldDef]int, len(defs))}
	if slices.ContainsFunc(defs, func(d tanma.FieldDef) bool { return d.LeftOut }) {
		kept := defs[:0:0]
		for _, d := range defs {
			if d.LeftOut {
				s.LeftOut++
			} else {
				kept = append(kept, d)
			}
		}
		defs = kept
	}
	owner := map[string]int{} // fixed key → index of the definition that takes it
	for i, d := range defs {
		if hasOuterField(d) {
			continue
		}
		if key := systemKey(d); key != "" {
			j, taken := owner[key]
			if !taken || moreSystem(d, defs[j]) {
				owner[key] = i
			}
		}
	}
	for i, d := range defs {
		fd := &FieldDef{FieldDef: d, options: make(map[string]*string, len(d.Items))}
		for k := range fd.Items {
			fd.options[string(fd.Items[k].ID)] = &fd.Items[k].Name
		}
		switch key := systemKey(d); {
		case hasOuterField(d):
			fd.Key = strings.TrimSpace(*d.OuterField)
		case key != "" && owner[key] == i:
			fd.Key = key
		default:
			fd.Key = d.ID.String()
		}
		s.rank[fd] = len(s.Defs)
		s.Defs = append(s.Defs, fd)
		s.Keys = append(s.Keys, tanma.FieldKey{ID: d.ID, Key: fd.Key, Type: d.Type})
		s.add(fd.Key, fd)
		s.add(d.ID.String(), fd)
	}
	return s
}

func hasOuterField(d tanma.FieldDef) bool {
	return d.OuterField != nil && strings.TrimSpace(*d.OuterField) != ""
}

// moreSystem reports whether a is more like one of Tanma's own fields than
// b: stable, else created earlier (a lower id).
func moreSystem(a, b tanma.FieldDef) bool {
	if a.Stable != b.Stable {
		return a.Stable
	}
	return a.ID < b.ID
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

// Rank is the position of a customer's field among the definitions (their
// order is the order customers' fields are shown in), and false for a key
// no definition names.
func (s *FieldSet) Rank(key string) (int, bool) {
	d, ok := s.ByKey(key)
	if !ok {
		return 0, false
	}
	return s.rank[d], true
}

// System reports a built-in field of Tanma's: stable, or keyed by one of
// the fixed system keys (a system field whose stable flag is false).
func (d *FieldDef) System() bool {
	return d.Stable || IsSystemKey(d.Key)
}

// OptionLabel returns the label of a select option by id.
func (d *FieldDef) OptionLabel(id string) (string, bool) {
	if l := d.Label(id); l != nil {
		return *l, true
	}
	return "", false
}

// Label is the label of a select option by id, nil for an id the
// definition does not list: the definition's own string, shared by every
// model that shows it (definitions are never changed once loaded), so
// labelling an option allocates nothing.
func (d *FieldDef) Label(id string) *string {
	if d == nil {
		return nil
	}
	return d.options[id]
}
