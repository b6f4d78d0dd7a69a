package pipesolar

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// flexString accepts a JSON string, number, boolean or null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b):
		// Without escapes the text between the quotes is the string (the
		// whole document was checked as valid JSON before this is called).
		*f = flexString(b[1 : len(b)-1])
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		// An object or array where a scalar belongs: keep nothing rather than
		// fail the whole project.
		*f = ""
	default: // number, true, false
		*f = flexString(b)
	}
	return nil
}

// flexList accepts an array of scalars, a single scalar, or null.
type flexList []string

func (f *flexList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = nil
		return nil
	}
	if b[0] != '[' {
		var s flexString
		if err := s.UnmarshalJSON(b); err != nil {
			return err
		}
		if s == "" {
			*f = nil
		} else {
			*f = flexList{string(s)}
		}
		return nil
	}
	var items []flexString
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make(flexList, 0, len(items))
	for _, it := range items {
		if it != "" {
			out = append(out, string(it))
		}
	}
	*f = out
	return nil
}

// flexMap accepts an object of scalars, or anything else as empty.
type flexMap map[string]string

func (f *flexMap) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		*f = nil
		return nil
	}
	var m map[string]flexString
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	out := make(flexMap, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	*f = out
	return nil
}

// ParseNumber reads a number as the API writes it: "18,450.01", "8.50",
// " 20 ", "$1,028.58", "3.99%". It reports false for "", infinities and text
// that is not a number. The result has 512 bits of precision, as Terraform's
// own numbers do, so no float64 rounding creeps in.
func ParseNumber(s string) (*big.Float, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimSuffix(s, "%")
	s = strings.ReplaceAll(s, ",", "")
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return nil, false
	}
	f, ok := new(big.Float).SetPrec(512).SetString(s)
	if !ok || f.IsInf() {
		return nil, false
	}
	return f, true
}
