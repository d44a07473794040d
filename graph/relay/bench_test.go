package relay

import "testing"

func BenchmarkCursorEncode(b *testing.B) {
	c := cursor{V: cursorVersion, Scope: scopeHash("customers:dowen"), Token: "AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa", Off: 42, Key: "398604120668224"}
	b.ReportAllocs()
	for b.Loop() {
		_ = testCodec.encode(c)
	}
}

func BenchmarkCursorDecode(b *testing.B) {
	s := testCodec.encode(cursor{V: cursorVersion, Scope: scopeHash("customers:dowen"), Token: "AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa", Off: 42, Key: "398604120668224"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := testCodec.decode(s, "customers:dowen", Limits{Max: 100}); err != nil {
			b.Fatal(err)
		}
	}
}
