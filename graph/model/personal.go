package model

import (
	"context"
	"strings"
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
			f.Text, f.Phones = mask(f.Text, MaskText), maskEach(f.Phones, MaskPhone)
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
// but digits kept as it is; a country code (a leading +86, or 0086, then
// a space or dash) is kept whole. A number of 7 digits or fewer keeps only
// its last 2.
func MaskPhone(s string) string {
	prefix, number := splitCountryCode(s)
	digits := 0
	for _, r := range number {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	keepHead, keepTail := 3, 4
	if digits <= 7 {
		keepHead, keepTail = 0, 2
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(prefix)
	i := 0
	for _, r := range number {
		if r < '0' || r > '9' {
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
// 7 or more digits, or digit groups joined by single spaces or dashes that
// hold 10 or more digits together (138 1234 5678, +86-139-0000-0002), a
// leading + with them. Fewer grouped digits (a date, 2024-01-15) are left
// as they are, but for a group of 7 or more digits among them.
func MaskText(s string) string {
	if !hasDigits(s, 7) {
		return s // most text: nothing to copy
	}
	var b strings.Builder
	copied := 0 // s[:copied] is in b
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		start, end, digits, groups := i, i, 0, 0
		for {
			for end < len(s) && isDigit(s[end]) {
				end++
				digits++
			}
			groups++
			if end+1 < len(s) && (s[end] == ' ' || s[end] == '-') && isDigit(s[end+1]) {
				end++
				continue
			}
			break
		}
		i = end
		if start > 0 && s[start-1] == '+' {
			start--
		}
		if digits < 7 || (groups > 1 && digits < 10 && !hasDigitRun(s[start:end], 7)) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[copied:start])
		if groups == 1 || digits >= 10 {
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

// maskLongGroups masks each group of 7 or more digits in a run of digit
// groups too short to be one phone number.
func maskLongGroups(run string) string {
	var b strings.Builder
	for len(run) > 0 {
		i := 0
		for i < len(run) && isDigit(run[i]) {
			i++
		}
		if i >= 7 {
			b.WriteString(MaskPhone(run[:i]))
		} else {
			b.WriteString(run[:i])
		}
		if i < len(run) {
			b.WriteByte(run[i]) // the separator (or a leading +)
			i++
		}
		run = run[i:]
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hasDigits reports whether s holds at least n digits.
func hasDigits(s string, n int) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

// hasDigitRun reports whether s holds a run of at least n digits.
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
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
