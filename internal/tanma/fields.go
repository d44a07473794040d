package tanma

// Field type codes of a customer's fields array (the "type" of each entry).
// Unknown codes may appear: keep their text and never fail on them.
const (
	FieldText        = 1 // single-line text
	FieldSelect      = 2 // single select: valueAsText is the option id
	FieldDate        = 3 // date: yyyy-MM-dd (sometimes with a time)
	FieldNumber      = 4 // number: decimal text
	FieldTextArea    = 5 // multi-line text
	FieldMultiSelect = 6 // multi select: option ids, a JSON array or a comma list
	FieldDateTime    = 7 // date-time: yyyy-MM-dd HH:mm:ss
	FieldPhone       = 8 // phone: a JSON array of strings
)

// System field keys of the customer fields array.
const (
	KeyName              = "name"
	KeyMobile            = "mobile"
	KeyGender            = "gender"
	KeyBirthday          = "birthday"
	KeyAddress           = "address"
	KeyCorpName          = "corp_name"
	KeyDescription       = "description"
	KeySource            = "customer_source"
	KeyStage             = "customer_stage"
	KeyPurchaseIntention = "purchase_intention"
)
