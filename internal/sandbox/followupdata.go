package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// FollowUp is one follow-up record of a customer, in list-follow-up's wire
// shape.
type FollowUp struct {
	ID         tanma.ID `json:"id"`
	Type       int      `json:"type"` // FollowUpNote or FollowUpLog
	Content    string   `json:"content"`
	CreateTime string   `json:"createTime"` // yyyy-MM-dd HH:mm:ss, China time
	Operator   Operator `json:"operator"`
}

// Operator is who wrote a follow-up.
type Operator struct {
	QwUserID string `json:"qwUserId"` // empty for APIOperator
	Name     string `json:"name"`
}

// Follow-up type codes.
//
// Sandbox choice: Tanma does not document its follow-up type codes; the
// sandbox uses 1 for a note a rep wrote and 2 for a log line the system wrote.
const (
	FollowUpNote = 1
	FollowUpLog  = 2
)

// APIOperator is the author of follow-ups written through the OpenAPI.
//
// Sandbox choice: Tanma does not document the operator of API writes; the
// sandbox names it "API" with an empty qwUserId.
var APIOperator = Operator{QwUserID: "", Name: "API"}

// SeedCustomerID is the seed page's first customer; it has a long follow-up
// history.
const SeedCustomerID tanma.ID = 398604120668224

// FollowUpsOf returns a customer's follow-ups, newest first (none for an
// unknown customer).
func (d *Dataset) FollowUpsOf(id tanma.ID) []FollowUp { return slices.Clone(d.FollowUps[id]) }

// heavyFollowUps reports whether a customer gets a long history (30 to 150
// records) so paging is exercised; the others get 0 to 6.
func heavyFollowUps(id tanma.ID) bool { return id%97 == 0 || id == SeedCustomerID }

// followUpSalt separates the follow-up generators from the dataset's own.
const followUpSalt = 0x6a09e667f3bcc909

// firstFollowUpID is the id of the dataset's first follow-up; ids then count
// up in customer order and, within a customer, in time order.
const firstFollowUpID tanma.ID = 401000000000000

// generateFollowUps gives every customer its follow-ups. Each customer has its
// own generator, seeded from the dataset seed and the customer id, so the
// rest of the dataset does not depend on them.
func (d *Dataset) generateFollowUps(seed uint64) {
	names := make(map[string]string, len(d.Staff))
	for _, st := range d.Staff {
		names[st.QwUserID] = st.Name
	}
	tagNames := map[string]string{}
	var allTags []string
	for _, g := range d.TagGroups {
		for _, t := range g.Tags {
			tagNames[t.QwTagID] = t.Name
			allTags = append(allTags, t.Name)
		}
	}
	d.FollowUps = make(map[tanma.ID][]FollowUp, len(d.Customers))
	next := firstFollowUpID
	for _, c := range d.Customers {
		fg := &followUpGen{
			r: rand.New(rand.NewPCG(seed^followUpSalt, uint64(c.CustomerID))),
			d: d, names: names, allTags: allTags,
		}
		for _, id := range c.TagIDs {
			fg.tags = append(fg.tags, tagNames[id])
		}
		list := fg.history(c, &next)
		if len(list) > 0 {
			d.FollowUps[c.CustomerID] = list
		}
	}
}

// followUpGen draws one customer's follow-ups.
type followUpGen struct {
	r       *rand.Rand
	d       *Dataset
	names   map[string]string // qwUserId → name
	allTags []string          // every tag name of the library
	tags    []string          // the customer's tag names
	stage   int               // index of the stage the logs have reached
}

func (g *followUpGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// history returns the customer's follow-ups, newest first, between its
// createTime and lastUpdateTime; next hands out ids.
func (g *followUpGen) history(c tanma.Customer, next *tanma.ID) []FollowUp {
	n := g.r.IntN(7)
	if heavyFollowUps(c.CustomerID) {
		n = 30 + g.r.IntN(121)
	}
	if n == 0 {
		return nil
	}
	created, err1 := tanma.ParseTime(deref(c.CreateTime))
	updated, err2 := tanma.ParseTime(deref(c.LastUpdateTime))
	if err1 != nil || err2 != nil {
		return nil
	}
	span := max(int64(updated.Sub(created)/time.Second), 0)
	offsets := make([]int64, n)
	for i := range offsets {
		offsets[i] = g.r.Int64N(span + 1)
	}
	slices.Sort(offsets)
	owner := deref(c.QwUserID)
	out := make([]FollowUp, n)
	for i, off := range offsets {
		f := FollowUp{ID: *next, CreateTime: created.Add(time.Duration(off) * time.Second).Format(tanma.DateTimeLayout)}
		*next++
		if g.r.IntN(10) < 6 {
			f.Type, f.Content = FollowUpNote, g.pick(followUpNotes)
			f.Operator = g.author(owner, 8, 0)
		} else {
			f.Type, f.Content = FollowUpLog, g.log()
			f.Operator = g.author(owner, 5, 3)
		}
		out[n-1-i] = f
	}
	return out
}

// author picks who wrote a record: the owner ownerIn10 times in 10, the API
// apiIn10 times in 10, another staff member otherwise.
func (g *followUpGen) author(owner string, ownerIn10, apiIn10 int) Operator {
	name, ok := g.names[owner]
	k := g.r.IntN(10)
	switch {
	case k < ownerIn10 && ok:
		return Operator{QwUserID: owner, Name: name}
	case k < ownerIn10+apiIn10:
		return APIOperator
	}
	st := g.d.Staff[g.r.IntN(len(g.d.Staff))]
	if st.QwUserID == owner {
		st = g.d.Staff[(slices.IndexFunc(g.d.Staff, func(s Staff) bool { return s.QwUserID == owner })+1)%len(g.d.Staff)]
	}
	return Operator{QwUserID: st.QwUserID, Name: st.Name}
}

// log draws a system log line. Stage changes move along the stage options,
// starting from the first.
func (g *followUpGen) log() string {
	switch g.r.IntN(4) {
	case 0, 1:
		stages := g.options(tanma.KeyStage)
		to := g.r.IntN(len(stages) - 1)
		if to >= g.stage {
			to++
		}
		line := fmt.Sprintf("修改了客户阶段：%s → %s", stages[g.stage], stages[to])
		g.stage = to
		return line
	case 2:
		tags := g.tags
		if len(tags) == 0 {
			tags = g.allTags
		}
		return "添加了标签：" + g.pick(tags)
	}
	levels := g.options(tanma.KeyPurchaseIntention)
	from := g.r.IntN(len(levels))
	to := (from + 1 + g.r.IntN(len(levels)-1)) % len(levels)
	return fmt.Sprintf("修改了购买意向：%s → %s", levels[from], levels[to])
}

// options returns the option names of a select field.
func (g *followUpGen) options(key string) []string {
	def, _ := g.d.fieldByKey(key)
	names := make([]string, len(def.Options))
	for i, o := range def.Options {
		names[i] = o.Name
	}
	return names
}

// followUpNotes are what reps write after talking to a customer. Made up.
var followUpNotes = []string{
	"电话沟通，客户对专业版感兴趣，约了下周二线上演示",
	"客户反馈价格偏高，已申请九折优惠，等审批",
	"已微信发送产品资料和案例，等待客户回复",
	"上门拜访，见到了采购负责人，初步需求 50 个账号",
	"客户在对比两家竞品，重点关注售后响应速度",
	"约定月底前给出采购意向",
	"客户暂时没有预算，三个月后再跟进",
	"已开通试用账号，试用期 14 天，周五回访使用情况",
	"客户确认合同条款，等待盖章回传",
	"回访：使用顺利，客户愿意转介绍同行",
	"客户要求补充私有化部署的报价",
	"电话未接通，已发短信留言",
	"客户老板出差，下周再约时间详谈",
	"展会后首次联系，客户对数据看板功能印象深刻",
}
