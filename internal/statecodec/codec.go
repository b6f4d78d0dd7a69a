// Package statecodec carries a resource's state across the plugin
// protocol without building tftypes values in between, for the RPCs
// Terraform makes for every managed resource in every plan:
//
//   - JSONToMsgPack: a state upgrade that changes nothing, from the JSON
//     Terraform keeps the state in to the protocol's msgpack;
//   - MsgPackToValue and AttributesToMsgPack: a read, from the prior
//     state's msgpack to the framework's values, and from the new values
//     to msgpack;
//   - CompactMsgPack: the decimals Terraform sends as text written as the
//     float64s they are.
//
// terraform-plugin-go decodes a JSON state into tftypes values and encodes
// them again (tftypes.ValueFromJSONWithOpts, then Value.MarshalMsgPack),
// decoding every nested object's JSON once per level: 0.7 ms and 600 KB for
// one pipesolar_project, paid for every managed project in every plan; the
// framework adds its own conversion of every value on both sides of a read.
// Each function here writes or decodes what terraform-plugin-go and the
// framework would, byte for byte or value for value, except that numbers
// are compacted where the function says so; anything it was not written
// for is ErrUnsupported, for the caller to hand to terraform-plugin-go.
package statecodec

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// ErrUnsupported is returned for a type or a value Codec leaves to
// terraform-plugin-go: tuples, dynamic values, and JSON that tftypes would
// convert (a number written as text, a string written as a number, ...)
// or refuse.
var ErrUnsupported = errors.New("left to terraform-plugin-go")

// Codec transcodes the states of one type. It is safe for concurrent use.
type Codec struct {
	root *node
}

// node is a type, with an object's attribute names sorted as tftypes
// writes them.
type node struct {
	kind    kind
	elem    *node            // list, set and map elements
	names   []string         // object attributes, sorted
	attrs   map[string]*node // object attributes
	numbers bool             // a number, or a type that holds one
}

type kind int

const (
	kindString kind = iota
	kindNumber
	kindBool
	kindList
	kindSet
	kindMap
	kindObject
)

// New compiles typ; it fails for types that hold a tuple or a dynamic
// value, and for objects with optional attributes.
func New(typ tftypes.Type) (*Codec, error) {
	root, err := compile(typ)
	if err != nil {
		return nil, err
	}
	return &Codec{root: root}, nil
}

func compile(typ tftypes.Type) (*node, error) {
	switch t := typ.(type) {
	case tftypes.Object:
		if len(t.OptionalAttributes) > 0 {
			return nil, fmt.Errorf("%w: an object with optional attributes", ErrUnsupported)
		}
		n := &node{kind: kindObject, attrs: make(map[string]*node, len(t.AttributeTypes))}
		for name, at := range t.AttributeTypes {
			a, err := compile(at)
			if err != nil {
				return nil, err
			}
			n.attrs[name] = a
			n.names = append(n.names, name)
			n.numbers = n.numbers || a.numbers
		}
		slices.Sort(n.names)
		return n, nil
	case tftypes.List:
		return collection(kindList, t.ElementType)
	case tftypes.Set:
		return collection(kindSet, t.ElementType)
	case tftypes.Map:
		return collection(kindMap, t.ElementType)
	}
	switch {
	case typ.Is(tftypes.String):
		return &node{kind: kindString}, nil
	case typ.Is(tftypes.Number):
		return &node{kind: kindNumber, numbers: true}, nil
	case typ.Is(tftypes.Bool):
		return &node{kind: kindBool}, nil
	}
	return nil, fmt.Errorf("%w: type %s", ErrUnsupported, typ)
}

func collection(k kind, elem tftypes.Type) (*node, error) {
	e, err := compile(elem)
	if err != nil {
		return nil, err
	}
	return &node{kind: k, elem: e, numbers: e.numbers}, nil
}

// writeBigFloat writes f as tftypes writes a number (marshalMsgPackNumber):
// an int64 as an integer, a non-integer that is exactly a float64 as that
// float64, anything else as decimal text.
func writeBigFloat(enc *msgpack.Encoder, f *big.Float) error {
	switch {
	case f.IsInf():
		return enc.EncodeFloat64(math.Inf(f.Sign()))
	case f.IsInt():
		if i, acc := f.Int64(); acc == big.Exact {
			return enc.EncodeInt(i)
		}
	default:
		if x, acc := f.Float64(); acc == big.Exact {
			return enc.EncodeFloat64(x)
		}
	}
	return enc.EncodeString(f.Text('f', -1))
}
