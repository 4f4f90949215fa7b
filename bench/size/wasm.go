package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Section ids of the WebAssembly binary format.
const (
	sectionCustom   = 0
	sectionImport   = 2
	sectionFunction = 3
	sectionCode     = 10
	sectionData     = 11
)

// module is what size reads of a .wasm: each defined function's name and
// body, and the size of the data segments.
type module struct {
	funcs    []function
	dataSize int
}

type function struct {
	name string
	body []byte
}

// parseModule reads the sections of a .wasm built without -s, whose name
// section names the functions.
func parseModule(b []byte) (module, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], []byte("\x00asm")) {
		return module{}, errors.New("not a WebAssembly module")
	}
	var (
		m        module
		imported int
		bodies   [][]byte
		names    = map[int]string{}
	)
	for r := (reader{b: b, i: 8}); r.i < len(b); {
		id := r.byte()
		size := r.uint()
		sec := reader{b: r.bytes(size)}
		switch id {
		case sectionImport:
			imported = countFuncImports(&sec)
		case sectionCode:
			for n := sec.uint(); n > 0; n-- {
				bodies = append(bodies, sec.bytes(sec.uint()))
			}
		case sectionData:
			m.dataSize = size
		case sectionCustom:
			if sec.name() == "name" {
				readFuncNames(&sec, names)
			}
		}
		if r.err != nil || sec.err != nil {
			return module{}, errors.Join(r.err, sec.err)
		}
	}
	if len(names) == 0 {
		return module{}, errors.New("no name section: build without -ldflags=-s")
	}
	for i, body := range bodies {
		m.funcs = append(m.funcs, function{name: names[imported+i], body: body})
	}
	return m, nil
}

// countFuncImports counts the imported functions, which come first in the
// function index space.
func countFuncImports(r *reader) int {
	n := 0
	for count := r.uint(); count > 0 && r.err == nil; count-- {
		r.name()
		r.name()
		switch kind := r.byte(); kind {
		case 0: // function: a type index
			r.uint()
			n++
		case 1: // table: a reference type and limits
			r.byte()
			r.limits()
		case 2: // memory: limits
			r.limits()
		case 3: // global: a value type and mutability
			r.byte()
			r.byte()
		default:
			r.err = fmt.Errorf("import of unknown kind %d", kind)
		}
	}
	return n
}

// readFuncNames reads the function names subsection of the name section.
func readFuncNames(r *reader, names map[int]string) {
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		sub := reader{b: r.bytes(r.uint())}
		if id != 1 {
			continue
		}
		for n := sub.uint(); n > 0 && sub.err == nil; n-- {
			idx := sub.uint()
			names[idx] = sub.name()
		}
		r.err = sub.err
	}
}

// reader reads LEB128 numbers, names and bytes, remembering the first error.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errors.New("unexpected end of module")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) uint() int {
	if r.i >= len(r.b) {
		r.err = errors.New("unexpected end of module")
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.err = errors.New("bad LEB128 number")
		return 0
	}
	r.i += n
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || r.i+n > len(r.b) {
		r.err = errors.New("unexpected end of module")
		return nil
	}
	r.i += n
	return r.b[r.i-n : r.i]
}

func (r *reader) name() string { return string(r.bytes(r.uint())) }

func (r *reader) limits() {
	if r.byte() == 1 {
		r.uint()
	}
	r.uint()
}
