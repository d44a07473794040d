package relay

import "testing"

func BenchmarkCursorEncode(b *testing.B) {
	c := cursor{V: cursorVersion, Scope: scopeHash("customers:dowen"), Token: "AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa", Off: 42, Key: "398604120668224"}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.encode()
	}
}

func BenchmarkCursorDecode(b *testing.B) {
	s := cursor{V: cursorVersion, Scope: scopeHash("customers:dowen"), Token: "AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa", Off: 42, Key: "398604120668224"}.encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCursor(s, "customers:dowen"); err != nil {
			b.Fatal(err)
		}
	}
}
