package model

import (
	"context"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Personal data, masked for callers without the personal-data permission.
// The schema declares which fields are personal (@personal, in
// graph/personal.graphqls); Personal lists the same fields for the code
// below, and a test keeps the two equal. Masking happens once per object,
// when it is mapped, so a caller with the permission pays nothing for it.

// Personal is every field the schema marks @personal, with its mask.
var Personal = map[string]PersonalMask{
	"Customer.name": PersonalMaskText, "Customer.mobiles": PersonalMaskPhone, "Customer.birthday": PersonalMaskWithhold,
	"Customer.address": PersonalMaskAddress, "Customer.corpName": PersonalMaskText, "Customer.description": PersonalMaskText,
	"Customer.remark": PersonalMaskText, "Customer.externalUserId": PersonalMaskWithhold, "Customer.nickname": PersonalMaskText,
	"TextCustomerField.text": PersonalMaskText, "TextCustomerField.value": PersonalMaskText,
	"TextAreaCustomerField.text": PersonalMaskText, "TextAreaCustomerField.value": PersonalMaskText,
	"PhoneCustomerField.text": PersonalMaskPhone, "PhoneCustomerField.phones": PersonalMaskPhone,
	"UnknownCustomerField.text":     PersonalMaskText,
	"FollowUp.content":              PersonalMaskText,
	"CustomerChange.externalUserId": PersonalMaskWithhold,
}

// SeesPersonal reports whether the request's caller may see personal data
// whole (the personal-data permission).
func SeesPersonal(ctx context.Context) bool {
	c, ok := auth.FromContext(ctx)
	return ok && c.Can(auth.PermPersonalData)
}

// maskPersonal masks the customer's personal values (its fields' entries
// too: a system field's as its top-level field, other entries by kind).
func (c *Customer) maskPersonal() {
	c.Name, c.CorpName, c.Nickname = maskText(c.Name), maskText(c.CorpName), maskText(c.Nickname)
	c.Description, c.Remark = maskText(c.Description), maskText(c.Remark)
	c.Address = mask(c.Address, MaskAddress)
	c.Birthday, c.ExternalUserID = nil, nil
	for _, f := range c.typed {
		switch f := f.(type) {
		case *TextCustomerField:
			how := MaskText
			if f.Key == tanma.KeyAddress {
				how = MaskAddress
			}
			f.Text, f.Value = mask(f.Text, how), mask(f.Value, how)
		case *TextAreaCustomerField:
			f.Text, f.Value = maskText(f.Text), maskText(f.Value)
		case *PhoneCustomerField:
			f.Phones = maskEach(f.Phones, MaskPhone)
			f.Text = maskPhoneText(f.Text, f.Phones, f.Problem == nil)
		case *UnknownCustomerField:
			f.Text = maskText(f.Text)
		case *DateCustomerField:
			if f.Key == tanma.KeyBirthday {
				f.Text, f.Date = nil, nil
			}
		case *DateTimeCustomerField:
			if f.Key == tanma.KeyBirthday {
				f.Text, f.DateTime = nil, nil
			}
		}
	}
	if c.mobile != nil {
		c.Mobiles = c.mobile.Phones // read from that field: masked with it
	} else {
		c.Mobiles = maskEach(c.Mobiles, MaskPhone)
	}
}

// maskPhoneText masks a phone field's text (Tanma's JSON array of
// numbers) as its phones are: read, it is the masked phones as a JSON
// array; unread (MALFORMED), every digit but its first 3 and last 4 (or
// its last 2) is masked, however the numbers in it are written.
func maskPhoneText(text *string, masked []string, read bool) *string {
	if text == nil {
		return nil
	}
	if read {
		b, _ := json.Marshal(masked)
		return stringPtr(string(b))
	}
	return stringPtr(MaskPhone(*text))
}

func mask(p *string, how func(string) string) *string {
	if p == nil {
		return nil
	}
	if m := how(*p); m != *p {
		return stringPtr(m)
	}
	return p // nothing masked: nothing to copy
}

// stringPtr is &s, its escape to the heap confined to the values masked.
func stringPtr(s string) *string { return &s }

func maskText(p *string) *string { return mask(p, MaskText) }

func maskEach(list []string, how func(string) string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = how(s)
	}
	return out
}

// MaskPhone masks a phone number: its first 3 and last 4 digits kept,
// the ones between replaced by '*' (13812345678 → 138****5678), anything
// but digits (ASCII or full-width) kept as it is; a country code (a
// leading +86, or 0086, then a space or dash) is kept whole. A number of 8
// to 10 digits keeps only its last 4, one of 7 digits or fewer its last 2:
// at least 4 digits are always masked.
func MaskPhone(s string) string {
	prefix, number := splitCountryCode(s)
	digits := 0
	for _, r := range number {
		if isDigitRune(r) {
			digits++
		}
	}
	keepHead, keepTail := 3, 4 // at least 4 digits masked
	switch {
	case digits <= 7:
		keepHead, keepTail = 0, 2
	case digits <= 10:
		keepHead = 0
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(prefix)
	i := 0
	for _, r := range number {
		if !isDigitRune(r) {
			b.WriteRune(r)
			continue
		}
		if i < keepHead || i >= digits-keepTail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// splitCountryCode separates "+86 " (or "+86-", "0086 ") from the number.
func splitCountryCode(s string) (string, string) {
	if !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "00") {
		return "", s
	}
	if i := strings.IndexAny(s, " -"); i > 0 && i <= 5 {
		return s[:i+1], s[i+1:]
	}
	return "", s
}

// MaskText masks every phone-like number in s as MaskPhone does: a run of
// 7 or more digits, or digit groups joined by short separators (up to 3
// spaces of any kind, dashes, dots, slashes, underscores, commas or
// brackets: 138 1234 5678, +86-139-0000-0002, (138)1234.5678) that hold
// 10 or more digits together, or a local landline of 7 to 9 digits in two
// groups of 3 or more (8888-8888), a leading + with them; full-width
// digits count as digits. Other grouped digits (a date, 2024-01-15; an
// amount, 1,200,000) are left as they are, but for a group of 7 or more
// digits among them.
func MaskText(s string) string {
	if !hasDigits(s, 7) {
		return s // most text: nothing to copy
	}
	var b strings.Builder
	copied := 0 // s[:copied] is in b
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isDigitRune(r) {
			i += size
			continue
		}
		start, end, digits, groups, longest, shortest := i, i, 0, 0, 0, len(s)
		for {
			run := 0
			for end < len(s) {
				r, size := utf8.DecodeRuneInString(s[end:])
				if !isDigitRune(r) {
					break
				}
				end += size
				run++
			}
			digits, groups, longest, shortest = digits+run, groups+1, max(longest, run), min(shortest, run)
			if next, ok := afterSeparator(s, end); ok {
				end = next
				continue
			}
			break
		}
		i = end
		if start > 0 && s[start-1] == '+' {
			start--
		}
		// One number: a run of 7 or more, 10 or more digits in groups, or a
		// local landline in two groups (8888-8888, 888 8888).
		whole := groups == 1 || digits >= 10 || groups == 2 && shortest >= 3
		if digits < 7 || !whole && longest < 7 {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[copied:start])
		if whole {
			b.WriteString(MaskPhone(s[start:end]))
		} else {
			b.WriteString(maskLongGroups(s[start:end]))
		}
		copied = end
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// afterSeparator reports whether s at i holds what is written between the
// digit groups of a number, followed by a digit, and where that digit
// starts: 1 to 3 spaces of any kind, or one dash, dot, slash, underscore,
// comma or bracket with a space on either side at most (none after a comma
// or dot, which end a clause there: "2024.01.15, 2024/01/15" is two dates).
func afterSeparator(s string, i int) (int, bool) {
	next := func() rune {
		r, size := utf8.DecodeRuneInString(s[i:])
		if i >= len(s) {
			return -1
		}
		i += size
		return r
	}
	digitAt := func() bool {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return i < len(s) && isDigitRune(r)
	}
	r := next()
	if unicode.IsSpace(r) {
		for n := 1; n <= 3; n++ {
			if digitAt() {
				return i, true
			}
			if n == 3 {
				break
			}
			if r = next(); !unicode.IsSpace(r) {
				break
			}
		}
		if !isMark(r) {
			return 0, false
		}
	} else if !isMark(r) {
		return 0, false
	}
	// r is the mark.
	if digitAt() {
		return i, true
	}
	if r == ',' || r == '.' || r == '，' || r == '．' {
		return 0, false
	}
	if r2 := next(); unicode.IsSpace(r2) && digitAt() {
		return i, true
	}
	return 0, false
}

// isMark is a punctuation mark written between the digit groups of a
// number.
func isMark(r rune) bool {
	return unicode.Is(unicode.Pd, r) || strings.ContainsRune("./_,()（）．／＿，·", r)
}

// maskLongGroups masks each group of 7 or more digits in a run of digit
// groups too short to be one phone number.
func maskLongGroups(run string) string {
	var b strings.Builder
	group := -1 // start of the current digit group
	flush := func(end int) {
		if group < 0 {
			return
		}
		if utf8.RuneCountInString(run[group:end]) >= 7 {
			b.WriteString(MaskPhone(run[group:end]))
		} else {
			b.WriteString(run[group:end])
		}
		group = -1
	}
	for i, r := range run {
		if isDigitRune(r) {
			if group < 0 {
				group = i
			}
			continue
		}
		flush(i)
		b.WriteRune(r)
	}
	flush(len(run))
	return b.String()
}

// NumberDigits counts the digits of text and reports whether it is a
// number as MaskText reads them: digits, and nothing but what numbers are
// written with (spaces, the marks between digit groups, a plus).
func NumberDigits(text string) (digits int, number bool) {
	for _, r := range text {
		switch {
		case isDigitRune(r):
			digits++
		case unicode.IsSpace(r), isMark(r), r == '+':
		default:
			return digits, false
		}
	}
	return digits, digits > 0
}

// isDigitRune is an ASCII or full-width digit.
func isDigitRune(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// hasDigits reports whether s holds at least n digits.
func hasDigits(s string, n int) bool {
	for _, r := range s {
		if isDigitRune(r) {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

// MaskAddress keeps an address's first 6 characters and replaces the rest
// with "***".
func MaskAddress(s string) string {
	if utf8.RuneCountInString(s) <= 6 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	i, n := 0, 0
	for n < 6 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return MaskText(s[:i]) + "***"
}
