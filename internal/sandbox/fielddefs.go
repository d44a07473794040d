package sandbox

import (
	"strconv"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// fieldDefs are the tenant's customer field definitions.
//
// Sandbox choice: Tanma does not document which key a customer's fields array
// uses for a custom field. The sandbox keys system fields by their system code
// (also given as the definition's outerField) and custom fields by their
// numeric field id as a string, the same key the search endpoint uses for
// custom fields. Option ids are decimal text: list-fields sends them as JSON
// numbers with that text, and select values carry the same text.
func fieldDefs() []FieldDef {
	sys := func(id int64, key, name string, typ int, opts ...Option) FieldDef {
		return FieldDef{ID: tanma.ID(id), Key: key, Name: name, Type: typ, System: true, Options: opts}
	}
	custom := func(id int64, name string, typ int, opts ...Option) FieldDef {
		return FieldDef{ID: tanma.ID(id), Key: strconv.FormatInt(id, 10), Name: name, Type: typ, Options: opts}
	}
	// Sandbox choice: Tanma does not say which fields an import requires; the
	// sandbox requires the name only.
	required := func(f FieldDef) FieldDef { f.ImportRequired = true; return f }
	return []FieldDef{
		sys(91630, tanma.KeySource, "客户来源", tanma.FieldSelect,
			Option{"1", "广告投放"}, Option{"2", "线下活动"}, Option{"3", "老客户转介绍"},
			Option{"4", "企业微信添加"}, Option{"5", "官网咨询"}, Option{"6", "电话营销"}),
		sys(91631, tanma.KeyDescription, "描述", tanma.FieldText),
		sys(91632, tanma.KeyMobile, "电话", tanma.FieldPhone),
		sys(91633, tanma.KeyAddress, "地址", tanma.FieldText),
		sys(91634, tanma.KeyBirthday, "生日", tanma.FieldDate),
		sys(91635, tanma.KeyCorpName, "公司名称", tanma.FieldText),
		required(sys(91636, tanma.KeyName, "姓名", tanma.FieldText)),
		sys(91637, tanma.KeyPurchaseIntention, "购买意向", tanma.FieldSelect,
			Option{"1", "高"}, Option{"2", "中"}, Option{"3", "低"}),
		sys(91641, tanma.KeyGender, "性别", tanma.FieldSelect,
			Option{"0", "其它"}, Option{"1", "男"}, Option{"2", "女"}),
		sys(91642, tanma.KeyStage, "客户阶段", tanma.FieldSelect,
			Option{"396823724189760", "初步接触"}, Option{"398792098304064", "需求确认"},
			Option{"398792098304065", "方案报价"}, Option{"398792098304066", "商务谈判"},
			Option{"398792098304067", "赢单"}, Option{"398792098304068", "输单"}),
		custom(133170, "行业", tanma.FieldText),
		custom(133171, "客户级别", tanma.FieldSelect, Option{"133171001", "VIP"}, Option{"133171002", "普通"}, Option{"133171003", "潜在"}),
		custom(133172, "首次到店日期", tanma.FieldDate),
		custom(133173, "年度预算(元)", tanma.FieldNumber),
		custom(133174, "需求备注", tanma.FieldTextArea),
		custom(133175, "感兴趣的产品", tanma.FieldMultiSelect, Option{"133175001", "基础版"}, Option{"133175002", "专业版"},
			Option{"133175003", "企业版"}, Option{"133175004", "增值服务"}),
		custom(133176, "下次回访时间", tanma.FieldDateTime),
		custom(133177, "紧急联系人电话", tanma.FieldPhone),
	}
}
