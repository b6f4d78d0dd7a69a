package mockapi

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
)

// decimalRe matches a plain decimal number as JSON writes it (optionally
// with an exponent).
var decimalRe = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?([0-9]+))?$`)

// parseDecimal parses decimal text exactly. Exponents beyond ±300 are refused
// (they would only make big.Rat allocate).
func parseDecimal(s string) (*big.Rat, bool) {
	m := decimalRe.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	if m[1] != "" {
		if e, err := strconv.Atoi(m[1]); err != nil || e > 300 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// numberValue converts a JSON-decoded (UseNumber) or Go numeric value to an
// exact rational. ok is false for non-numbers.
func numberValue(v any) (*big.Rat, bool) {
	var text string
	switch n := v.(type) {
	case json.Number:
		text = n.String()
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, false
		}
		text = strconv.FormatFloat(n, 'g', -1, 64)
	case float32:
		f := float64(n)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		text = strconv.FormatFloat(f, 'g', -1, 32)
	case int:
		text = strconv.FormatInt(int64(n), 10)
	case int8:
		text = strconv.FormatInt(int64(n), 10)
	case int16:
		text = strconv.FormatInt(int64(n), 10)
	case int32:
		text = strconv.FormatInt(int64(n), 10)
	case int64:
		text = strconv.FormatInt(n, 10)
	case uint:
		text = strconv.FormatUint(uint64(n), 10)
	case uint8:
		text = strconv.FormatUint(uint64(n), 10)
	case uint16:
		text = strconv.FormatUint(uint64(n), 10)
	case uint32:
		text = strconv.FormatUint(uint64(n), 10)
	case uint64:
		text = strconv.FormatUint(n, 10)
	case *big.Rat:
		if n == nil {
			return nil, false
		}
		return new(big.Rat).Set(n), true
	default:
		return nil, false
	}
	return parseDecimal(text)
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		http.Error(w, `{"message":"internal encoding error"}`, http.StatusInternalServerError)
		return
	}
	writeRawJSON(w, status, b)
}

// writeRawJSON writes already-encoded JSON with the given status.
func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// marshalJSON encodes v without HTML escaping and without a trailing newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

// looksLikeEmail reports whether s has the shape local@domain.tld.
func looksLikeEmail(s string) bool { return emailRe.MatchString(s) }
