package provider

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/vmihailenco/msgpack/v5"
)

// msgPackWriter writes values in the plugin protocol's msgpack encoding, as
// terraform-plugin-go's tftypes does and Terraform's go-cty decodes it: an
// object is a map of all its attributes, a list an array, null is nil, a
// number an integer, a float64 or (when it is neither exactly) its decimal
// text. Errors stick: after the first, writes do nothing and err holds it.
type msgPackWriter struct {
	enc *msgpack.Encoder
	err error
}

func newMsgPackWriter(w io.Writer) *msgPackWriter {
	return &msgPackWriter{enc: msgpack.NewEncoder(w)}
}

func (w *msgPackWriter) do(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

func (w *msgPackWriter) mapLen(n int)   { w.do(w.enc.EncodeMapLen(n)) }
func (w *msgPackWriter) arrayLen(n int) { w.do(w.enc.EncodeArrayLen(n)) }
func (w *msgPackWriter) str(s string)   { w.do(w.enc.EncodeString(s)) }

// optionalStr writes s, or null for "".
func (w *msgPackWriter) optionalStr(s string) {
	if s == "" {
		w.do(w.enc.EncodeNil())
		return
	}
	w.str(s)
}

// value writes a framework value of the kinds projectAPIValues produces:
// the framework's own types (a custom type is an error, which
// TestProjectsServer_sameAsFramework would show).
func (w *msgPackWriter) value(v attr.Value) error {
	switch {
	case v == nil:
		return errors.New("missing value")
	case v.IsUnknown():
		return errors.New("unknown value")
	case v.IsNull():
		w.do(w.enc.EncodeNil())
		return w.err
	}
	switch v := v.(type) {
	case basetypes.StringValue:
		w.str(v.ValueString())
	case basetypes.BoolValue:
		w.do(w.enc.EncodeBool(v.ValueBool()))
	case basetypes.Int64Value:
		w.do(w.enc.EncodeInt(v.ValueInt64()))
	case basetypes.NumberValue:
		w.number(v.ValueBigFloat())
	case basetypes.ListValue:
		elems := v.Elements()
		w.arrayLen(len(elems))
		for _, e := range elems {
			if err := w.value(e); err != nil {
				return err
			}
		}
	case basetypes.MapValue:
		return w.keyed(v.Elements())
	case basetypes.ObjectValue:
		return w.keyed(v.Attributes())
	default:
		return fmt.Errorf("unsupported value type %T", v)
	}
	return w.err
}

// keyed writes a map or an object, keys sorted so the bytes are stable.
func (w *msgPackWriter) keyed(m map[string]attr.Value) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.mapLen(len(keys))
	for _, k := range keys {
		w.str(k)
		if err := w.value(m[k]); err != nil {
			return err
		}
	}
	return w.err
}

// number writes f as tftypes does.
func (w *msgPackWriter) number(f *big.Float) {
	switch {
	case f.IsInf():
		w.do(w.enc.EncodeFloat64(math.Inf(f.Sign())))
	case f.IsInt():
		if i, acc := f.Int64(); acc == big.Exact {
			w.do(w.enc.EncodeInt(i))
			return
		}
		w.str(f.Text('f', -1))
	default:
		if x, acc := f.Float64(); acc == big.Exact {
			w.do(w.enc.EncodeFloat64(x))
			return
		}
		w.str(f.Text('f', -1))
	}
}
