package manifest

import (
	"hash/maphash"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// positions is what Position needs of an object once its YAML tree is
// gone: the line and column of every field path, by the path's hash, sorted.
// A few bytes per field, where the tree holds every node and scalar.
type positions struct {
	hashes []uint64
	at     [][2]int32
}

var pathSeed = maphash.MakeSeed()

// pathHash extends the hash of a path by one part.
func pathHash(parent uint64, part string) uint64 {
	var h maphash.Hash
	h.SetSeed(pathSeed)
	var b [8]byte
	for i := range b {
		b[i] = byte(parent >> (8 * i))
	}
	h.Write(b[:])
	h.WriteString(part)
	return h.Sum64()
}

// KeepPositions drops the object's YAML tree and keeps only the positions
// of its fields, for runs that need nothing else of it once converted (a
// large lint holds every object at once). Position answers as before;
// anything else that reads Node must not be called after.
func (o *Object) KeepPositions() {
	if o.Node == nil || o.positions != nil {
		return
	}
	p := &positions{}
	if !(o.Rendered && !o.Mapped) {
		type entry struct {
			hash uint64
			at   [2]int32
		}
		var entries []entry
		var walk func(n *yaml.Node, hash uint64)
		walk = func(n *yaml.Node, hash uint64) {
			n = resolve(n)
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					k := n.Content[i]
					h := pathHash(hash, k.Value)
					entries = append(entries, entry{h, [2]int32{int32(k.Line), int32(k.Column)}})
					walk(n.Content[i+1], h)
				}
			case yaml.SequenceNode:
				for i, item := range n.Content {
					h := pathHash(hash, strconv.Itoa(i))
					entries = append(entries, entry{h, [2]int32{int32(item.Line), int32(item.Column)}})
					walk(item, h)
				}
			}
		}
		walk(o.Node.YNode(), 0)
		// Position takes a mapping's first key of a name: keep the first.
		slices.SortStableFunc(entries, func(a, b entry) int {
			switch {
			case a.hash < b.hash:
				return -1
			case a.hash > b.hash:
				return 1
			}
			return 0
		})
		entries = slices.CompactFunc(entries, func(a, b entry) bool { return a.hash == b.hash })
		p.hashes = make([]uint64, len(entries))
		p.at = make([][2]int32, len(entries))
		for i, e := range entries {
			p.hashes[i], p.at[i] = e.hash, e.at
		}
	}
	root := o.Node.YNode()
	o.rootAt = [2]int32{int32(root.Line), int32(root.Column)}
	o.positions, o.Node = p, nil
}

// position answers Position from the kept positions: the deepest part of
// the path that exists, as the tree walk does.
func (p *positions) position(root [2]int32, path []string) (line, column int) {
	at := root
	var hash uint64
	for _, part := range path {
		hash = pathHash(hash, part)
		i, ok := slices.BinarySearch(p.hashes, hash)
		if !ok {
			break
		}
		at = p.at[i]
	}
	return int(at[0]), int(at[1])
}
