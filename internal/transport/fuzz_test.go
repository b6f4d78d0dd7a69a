package transport

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzMessage(f *testing.F) {
	for _, s := range []string{
		`{"message":"x"}`, `{"error":"invalid_client","error_description":"bad"}`,
		`{"statusCode":400,"body":{"status":"X","message":"m"}}`, `{"errors":[{"path":"a","message":"b"},"c",1]}`,
		`<html><title>Oops</title></html>`, `<xml/>`, "plain text", "", "{", `{"response":{"data":{"message":"deep"}}}`,
		strings.Repeat("é", 400), "\xff\xfe", `{"message":123}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg := Message(body)
		if utf8.Valid(body) && !utf8.ValidString(msg) {
			t.Fatalf("Message turned valid UTF-8 into invalid: %q", msg)
		}
		if len(msg) > 2000 {
			t.Fatalf("message of %d bytes is not an excerpt", len(msg))
		}
	})
}
