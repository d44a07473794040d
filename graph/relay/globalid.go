package relay

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// GlobalID returns the opaque id of a Node: base64 of "Type:upstreamID".
func GlobalID(typeName, id string) string {
	return base64.StdEncoding.EncodeToString([]byte(typeName + ":" + id))
}

// ParseGlobalID splits a global id into its type name and upstream id. A
// malformed id is a BAD_USER_INPUT error. The type name must look like one
// (a capitalised ASCII word) and the id must be printable text, so a plain
// value that happens to be valid base64 (a user id such as "zhangsan") is
// not mistaken for a global id.
func ParseGlobalID(gid string) (typeName, id string, err error) {
	b, err := base64.StdEncoding.DecodeString(gid)
	if err == nil {
		var ok bool
		typeName, id, ok = strings.Cut(string(b), ":")
		if ok && isTypeName(typeName) && id != "" && utf8.ValidString(id) && strings.IndexFunc(id, unicode.IsControl) < 0 {
			return typeName, id, nil
		}
	}
	return "", "", apperr.BadInput("malformed id: not a global id of this API")
}

func isTypeName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}
