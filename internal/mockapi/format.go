package mockapi

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"math"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
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
// exact rational and its text. ok is false for non-numbers.
func numberValue(v any) (r *big.Rat, text string, ok bool) {
	switch n := v.(type) {
	case json.Number:
		text = n.String()
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, "", false
		}
		text = strconv.FormatFloat(n, 'g', -1, 64)
	case float32:
		f := float64(n)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "", false
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
			return nil, "", false
		}
		return new(big.Rat).Set(n), n.RatString(), true
	default:
		return nil, "", false
	}
	r, ok = parseDecimal(text)
	if !ok {
		return nil, "", false
	}
	return r, text, true
}

var (
	bigTwo = big.NewInt(2)
	bigTen = big.NewInt(10)
)

// formatDecimal renders r rounded half away from zero to places decimals,
// optionally with comma thousands separators: 18450.01 -> "18,450.01",
// 8.5 -> "8.50", 0.30000000000000004 -> "0.30".
func formatDecimal(r *big.Rat, places int, thousands bool) string {
	neg := r.Sign() < 0
	a := new(big.Rat).Abs(r)
	scale := new(big.Int).Exp(bigTen, big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(a.Num(), scale)
	n.Mul(n, bigTwo)
	n.Add(n, a.Denom())
	d := new(big.Int).Mul(a.Denom(), bigTwo)
	q := n.Quo(n, d) // floor((2*x*scale + 1) / 2) = round half up of x*scale
	digits := q.String()
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	intPart, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	if thousands && len(intPart) > 3 {
		var b strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			b.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	out := intPart
	if places > 0 {
		out += "." + frac
	}
	if neg && q.Sign() != 0 {
		out = "-" + out
	}
	return out
}

// formatMoney renders money: 2 decimals with thousands separators.
func formatMoney(r *big.Rat) string { return formatDecimal(r, 2, true) }

// formatCountText renders a count or term given as text: integral values as
// plain integers ("20.0" -> "20"), anything else trimmed as given.
func formatCountText(s string) string {
	s = strings.TrimSpace(s)
	r, ok := parseDecimal(strings.ReplaceAll(s, ",", ""))
	if !ok || !r.IsInt() {
		return s
	}
	return r.Num().String()
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

// appendJSONString appends s as a JSON string literal.
func appendJSONString(dst []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
	}
	if plain {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	b, _ := marshalJSON(s)
	return append(dst, b...)
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

// looksLikeEmail reports whether s has the shape local@domain.tld.
func looksLikeEmail(s string) bool { return emailRe.MatchString(s) }

// person derives a display name, e-mail and phone number from a sales rep or
// setter reference (an e-mail address or a name), deterministically.
func person(ref string) (name, email, phone string) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", "", ""
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(ref)))
	sum := h.Sum32()
	phone = "555-" + pad(int(sum%900)+100, 3) + "-" + pad(int((sum/900)%10000), 4)
	if looksLikeEmail(ref) {
		email = strings.ToLower(ref)
		local := email[:strings.IndexByte(email, '@')]
		words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' })
		for i, w := range words {
			words[i] = titleWord(w)
		}
		name = strings.Join(words, " ")
		return name, email, phone
	}
	name = ref
	var slug strings.Builder
	for _, w := range strings.Fields(strings.ToLower(ref)) {
		var part strings.Builder
		for _, r := range w {
			if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				part.WriteRune(r)
			}
		}
		if part.Len() == 0 {
			continue
		}
		if slug.Len() > 0 {
			slug.WriteByte('.')
		}
		slug.WriteString(part.String())
	}
	if slug.Len() > 0 {
		email = slug.String() + "@pipesolar.com"
	}
	return name, email, phone
}

func titleWord(w string) string {
	if w == "" {
		return w
	}
	rs := []rune(w)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

var (
	stateZipRe = regexp.MustCompile(`^(.*?)[\s,]*\b([A-Za-z]{2})\s+([0-9]{5}(?:-[0-9]{4})?)$`)
	unitRe     = regexp.MustCompile(`(?i)^(suite|ste\.?|apt\.?|apartment|unit|#|floor|fl\.?|bldg\.?|building|room|rm\.?)(\s|$|[0-9#])`)
)

// splitAddress splits "street, city, ST zip" best-effort.
func splitAddress(addr string) (street, city, state, zip string) {
	var parts []string
	for _, p := range strings.Split(addr, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", "", "", ""
	}
	street = parts[0]
	rest := parts[1:]
	if len(rest) == 0 {
		return street, "", "", ""
	}
	last := rest[len(rest)-1]
	if m := stateZipRe.FindStringSubmatch(last); m != nil {
		state, zip = strings.ToUpper(m[2]), m[3]
		if strings.TrimSpace(m[1]) != "" {
			city = strings.TrimSpace(m[1])
		} else if len(rest) >= 2 {
			city = rest[len(rest)-2]
		}
		return street, city, state, zip
	}
	// No "ST zip": street, [unit,] city[, ST]
	if len(rest) >= 2 && len(last) == 2 && isLetters(last) {
		state = strings.ToUpper(last)
		rest = rest[:len(rest)-1]
	}
	for i := len(rest) - 1; i >= 0; i-- {
		if !unitRe.MatchString(rest[i]) {
			city = rest[i]
			break
		}
	}
	return street, city, state, zip
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
