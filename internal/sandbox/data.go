package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Dataset is the sandbox's world: staff, their customers, the field
// definitions, the tag library and the customers' follow-ups, all consistent
// with each other.
type Dataset struct {
	Staff     []Staff                 // the staff directory
	Former    []Staff                 // staff who left: get-users lists them with deleted: 1
	Customers []tanma.Customer        // every customer, in upstream order (createTime, then id)
	Fields    []FieldDef              // field definitions, system fields first
	TagGroups []TagGroup              // the tag library
	FollowUps map[tanma.ID][]FollowUp // each customer's follow-ups, newest first (see followupdata.go)

	byOwner map[string][]int // qwUserId → indexes into Customers, in order
	byID    map[tanma.ID]int
}

// Staff is one member of the staff directory.
type Staff struct {
	QwUserID    string
	Name        string
	SalesID     tanma.ID
	Departments []Department
}

// Department is a WeChat Work department.
type Department struct {
	ID   tanma.ID
	Name string
}

// FieldDef is a customer field definition; Options are set for select kinds.
type FieldDef struct {
	ID      tanma.ID
	Key     string // the key customers' fields arrays use
	Name    string // label shown to users
	Type    int    // tanma.Field* type code
	System  bool   // a built-in field (Tanma's "stable")
	Options []Option
	// ImportRequired is Tanma's customerImportRequired: a customer import
	// must fill the field.
	ImportRequired bool
}

// Option is a select field's choice.
type Option struct {
	ID   string
	Name string
}

// TagGroup is a group of the tag library.
type TagGroup struct {
	ID      tanma.ID
	Name    string
	QwTagID string
	Tags    []Tag
}

// Tag is a tag of the library.
type Tag struct {
	ID      tanma.ID
	Name    string
	QwTagID string
}

// CustomersOf returns a staff member's customers in upstream order.
func (d *Dataset) CustomersOf(qwUserID string) []tanma.Customer {
	idx := d.byOwner[qwUserID]
	out := make([]tanma.Customer, len(idx))
	for i, j := range idx {
		out[i] = d.Customers[j]
	}
	return out
}

// Customer returns the customer with the id.
func (d *Dataset) Customer(id tanma.ID) (tanma.Customer, bool) {
	i, ok := d.byID[id]
	if !ok {
		return tanma.Customer{}, false
	}
	return d.Customers[i], true
}

// index rebuilds the lookup maps after Customers changed.
func (d *Dataset) index() {
	slices.SortStableFunc(d.Customers, func(a, b tanma.Customer) int {
		return cmp.Or(cmp.Compare(deref(a.CreateTime), deref(b.CreateTime)), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	d.byOwner = make(map[string][]int, len(d.Staff))
	d.byID = make(map[tanma.ID]int, len(d.Customers))
	for i, c := range d.Customers {
		d.byOwner[deref(c.QwUserID)] = append(d.byOwner[deref(c.QwUserID)], i)
		d.byID[c.CustomerID] = i
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

var (
	defaultOnce sync.Once
	defaultData *Dataset
)

// Default returns the seeded dataset, built once; treat it as read-only.
func Default() *Dataset {
	defaultOnce.Do(func() { defaultData = Generate(20261125) })
	return defaultData
}

// staffPlan fixes each staff member's customer count, so tests know the
// shapes they page through: one owner with over 1,000 customers (dowen, the
// owner of the seed page's examples), one with none, one with exactly two
// pages of 100, and owners just under, just over and at one page.
var staffPlan = []struct {
	qwUserID, name string
	customers      int
}{
	{"dowen", "刘德文", 1234}, {"chenjing", "陈静", 200}, {"zhaolei", "赵磊", 0},
	{"wangfang", "王芳", 387}, {"lina", "李娜", 156}, {"zhangwei", "张伟", 299},
	{"liuyang", "刘洋", 101}, {"yangmin", "杨敏", 243}, {"huangjie", "黄杰", 178},
	{"zhoutao", "周涛", 99}, {"wuxia", "吴霞", 312}, {"xuqiang", "徐强", 265},
	{"sunli", "孙丽", 134}, {"majun", "马军", 100}, {"zhuyan", "朱艳", 201},
	{"hulei", "胡磊", 147}, {"guoping", "郭平", 222}, {"heming", "何明", 175},
	{"gaochao", "高超", 130}, {"linjuan", "林娟", 163}, {"luogang", "罗刚", 118},
	{"zhengwen", "郑文", 240}, {"liangdan", "梁丹", 67}, {"xiehua", "谢华", 1},
}

// BigID is a customer id past 2^53 (owned by BigIDOwner): it proves ids are
// never decoded through float64.
const (
	BigID      tanma.ID = 9007199254740993
	BigIDOwner          = "xiehua"
)

// Generate builds a deterministic dataset from seed.
func Generate(seed uint64) *Dataset {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	d := &Dataset{Fields: fieldDefs(), TagGroups: g.tagLibrary()}
	depts := []Department{{1, "销售一部"}, {2, "销售二部"}, {3, "大客户部"}, {4, "华南区"}, {5, "华东区"}}
	for i, p := range staffPlan {
		st := Staff{QwUserID: p.qwUserID, Name: p.name, SalesID: tanma.ID(396800000000000 + int64(i)*7919),
			Departments: []Department{depts[i%3]}}
		if i%4 == 0 {
			st.Departments = append(st.Departments, depts[3+i%2])
		}
		d.Staff = append(d.Staff, st)
	}
	d.Customers = append(d.Customers, seedCustomers()...)
	var owners []string
	for _, p := range staffPlan {
		n := p.customers
		if p.qwUserID == "dowen" {
			n -= len(seedCustomers())
		}
		for range n {
			owners = append(owners, p.qwUserID)
		}
	}
	g.r.Shuffle(len(owners), func(i, j int) { owners[i], owners[j] = owners[j], owners[i] })
	t := time.Date(2021, 3, 7, 9, 0, 0, 0, tanma.Shanghai)
	id := tanma.ID(398923388842048)
	for _, owner := range owners {
		t = t.Add(time.Duration(g.r.IntN(7*3600)+60) * time.Second)
		id += tanma.ID(g.r.Int64N(3e8) + 1e6)
		cid := id
		if owner == BigIDOwner {
			cid = BigID
		}
		d.Customers = append(d.Customers, g.customer(d, cid, owner, t))
	}
	d.index()
	// Follow-ups draw from their own generators (see followupdata.go), so
	// adding them left every customer, staff member, field and tag as it was.
	d.generateFollowUps(seed)
	d.malformSome(seed) // likewise
	d.addFormerStaff()
	return d
}

// seedCustomers are the two examples of Tanma's list-by-qw-user-id page, field for field.
func seedCustomers() []tanma.Customer {
	const page = `[{"customerId":398604120668224,"qwUserId":"dowen","type":1,"fields":[{"field":"customer_source","type":2,"valueAsText":"4"},{"field":"description","type":1,"valueAsText":null},{"field":"mobile","type":8,"valueAsText":"[\"110110\"]"},{"field":"address","type":1,"valueAsText":null},{"field":"birthday","type":3,"valueAsText":null},{"field":"corp_name","type":1,"valueAsText":null},{"field":"name","type":1,"valueAsText":"14635"},{"field":"purchase_intention","type":2,"valueAsText":null},{"field":"gender","type":2,"valueAsText":"0"},{"field":"customer_stage","type":2,"valueAsText":"396823724189760"}],"tagIds":["etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ","etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ"],"createTime":"2021-03-06 16:22:17","lastUpdateTime":"2021-03-31 14:59:21","wechatNickname":null,"wechatAvatar":null,"wechatLocation":null,"convertCustomerTime":null,"qwRemark":"14635","externalUserId":null},
{"customerId":398923388842048,"qwUserId":"dowen","type":1,"fields":[{"field":"customer_source","type":2,"valueAsText":"4"},{"field":"description","type":1,"valueAsText":null},{"field":"mobile","type":8,"valueAsText":"[\"18910515284\"]"},{"field":"address","type":1,"valueAsText":null},{"field":"birthday","type":3,"valueAsText":null},{"field":"corp_name","type":1,"valueAsText":null},{"field":"name","type":1,"valueAsText":"张三测"},{"field":"purchase_intention","type":2,"valueAsText":null},{"field":"gender","type":2,"valueAsText":"0"},{"field":"customer_stage","type":2,"valueAsText":"398792098304064"}],"tagIds":[],"createTime":"2021-03-06 16:26:51","lastUpdateTime":"2021-03-31 14:59:21","wechatNickname":null,"wechatAvatar":null,"wechatLocation":null,"convertCustomerTime":null,"qwRemark":"张三测","externalUserId":null}]`
	var out []tanma.Customer
	if err := json.Unmarshal([]byte(page), &out); err != nil {
		panic(err) // a constant: cannot fail unless edited wrongly
	}
	return out
}

// gen draws the random parts of the dataset.
type gen struct{ r *rand.Rand }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) maybe(p float64) bool    { return g.r.Float64() < p }

func (g *gen) name() string { return g.pick(surnames) + g.pick(givenNames) }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func (g *gen) token(prefix string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		b.WriteByte(base62[g.r.IntN(len(base62))])
	}
	return b.String()
}

func (g *gen) mobile() string {
	prefixes := []string{"130", "135", "138", "139", "150", "158", "166", "177", "186", "189", "199"}
	return fmt.Sprintf("%s%08d", g.pick(prefixes), g.r.IntN(1e8))
}

func str(s string) *string { return &s }

func (g *gen) text(p float64, f func() string) *string {
	if !g.maybe(p) {
		return nil
	}
	return str(f())
}

func (g *gen) customer(d *Dataset, id tanma.ID, owner string, created time.Time) tanma.Customer {
	name := g.name()
	updated := created.Add(time.Duration(g.r.IntN(400*24*3600)) * time.Second)
	c := tanma.Customer{
		CustomerID:     id,
		QwUserID:       str(owner),
		Type:           new(1),
		CreateTime:     str(created.Format(tanma.DateTimeLayout)),
		LastUpdateTime: str(updated.Format(tanma.DateTimeLayout)),
		WechatNickname: g.text(0.6, func() string { return g.pick(nicknames) }),
		WechatLocation: g.text(0.3, func() string { return g.pick(locations) }),
		QwRemark:       g.text(0.7, func() string { return name }),
		ExternalUserID: g.text(0.8, func() string { return g.token("wm", 30) }),
		TagIDs:         g.tagIDs(d),
	}
	if c.WechatNickname != nil {
		c.WechatAvatar = str("https://wework.qpic.cn/wwhead/" + g.token("", 40) + "/0")
	}
	if g.maybe(0.3) {
		c.ConvertCustomerTime = str(created.Add(updated.Sub(created) / 2).Format(tanma.DateTimeLayout))
	}
	for _, f := range d.Fields {
		c.Fields = append(c.Fields, tanma.Field{Field: f.Key, Type: f.Type, ValueAsText: g.value(f, name, created)})
	}
	return c
}

func (g *gen) tagIDs(d *Dataset) []string {
	ids := []string{}
	for range g.r.IntN(5) {
		grp := d.TagGroups[g.r.IntN(len(d.TagGroups))]
		ids = append(ids, grp.Tags[g.r.IntN(len(grp.Tags))].QwTagID)
	}
	return ids
}

// value draws a field value as the upstream encodes it, with realistic nulls.
func (g *gen) value(f FieldDef, name string, created time.Time) *string {
	switch f.Key {
	case tanma.KeyName:
		return str(name)
	case tanma.KeyMobile:
		n := g.r.IntN(4)
		if n == 0 {
			if g.maybe(0.2) {
				return str("[]")
			}
			return nil
		}
		ms := make([]string, n)
		for i := range ms {
			ms[i] = g.mobile()
		}
		b, _ := json.Marshal(ms)
		return str(string(b))
	case tanma.KeyGender:
		return str(fmt.Sprint(g.r.IntN(3)))
	case tanma.KeyAddress:
		return g.text(0.5, func() string { return fmt.Sprintf("%s%s%d号", g.pick(cities), g.pick(streets), g.r.IntN(300)+1) })
	case tanma.KeyCorpName:
		return g.text(0.5, func() string { return g.pick(corpWords) + g.pick(corpKinds) })
	case tanma.KeyDescription:
		return g.text(0.3, func() string { return g.pick(notes) })
	case tanma.KeyBirthday:
		return g.text(0.4, func() string {
			b := time.Date(1960+g.r.IntN(45), time.Month(g.r.IntN(12)+1), g.r.IntN(28)+1, 0, 0, 0, 0, tanma.Shanghai)
			if g.maybe(0.1) {
				return b.Format(tanma.DateTimeLayout) // the upstream sometimes adds a time
			}
			return b.Format(tanma.DateLayout)
		})
	}
	if !g.maybe(fillRate(f)) {
		return nil
	}
	switch f.Type {
	case tanma.FieldSelect:
		return str(f.Options[g.r.IntN(len(f.Options))].ID)
	case tanma.FieldMultiSelect:
		k := g.r.IntN(len(f.Options)) + 1
		ids := make([]string, 0, k)
		for _, i := range g.r.Perm(len(f.Options))[:k] {
			ids = append(ids, f.Options[i].ID)
		}
		b, _ := json.Marshal(ids)
		return str(string(b))
	case tanma.FieldDate:
		return str(created.AddDate(0, g.r.IntN(24), g.r.IntN(28)).Format(tanma.DateLayout))
	case tanma.FieldDateTime:
		return str(created.Add(time.Duration(g.r.IntN(90*24*3600)) * time.Second).Format(tanma.DateTimeLayout))
	case tanma.FieldNumber:
		return str(fmt.Sprintf("%d.%02d", g.r.IntN(500000), g.r.IntN(100)))
	case tanma.FieldPhone:
		b, _ := json.Marshal([]string{g.mobile()})
		return str(string(b))
	case tanma.FieldTextArea:
		return str(g.pick(notes) + "\n" + g.pick(notes))
	default:
		return str(g.pick(industries))
	}
}

func fillRate(f FieldDef) float64 {
	switch f.Key {
	case tanma.KeySource:
		return 0.95
	case tanma.KeyStage:
		return 0.9
	case tanma.KeyPurchaseIntention:
		return 0.6
	}
	return 0.5
}

func (g *gen) tagLibrary() []TagGroup {
	groups := []struct {
		name string
		tags []string
	}{
		{"客户等级", []string{"A类客户", "B类客户", "C类客户"}},
		{"意向产品", []string{"基础版", "专业版", "企业版", "定制开发"}},
		{"渠道", []string{"抖音", "小红书", "百度", "朋友圈", "线下展会"}},
		{"跟进状态", []string{"待回访", "已报价", "已成交", "已流失"}},
		{"兴趣爱好", hobbies},
	}
	id := tanma.ID(397100000000000)
	var out []TagGroup
	for _, gr := range groups {
		id += 1000
		tg := TagGroup{ID: id, Name: gr.name, QwTagID: g.token("et", 30)}
		for _, n := range gr.tags {
			id++
			tg.Tags = append(tg.Tags, Tag{ID: id, Name: n, QwTagID: g.token("et", 30)})
		}
		out = append(out, tg)
	}
	out[0].Tags[0].QwTagID = "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ" // the seed page's tag
	return out
}
