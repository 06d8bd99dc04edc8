package search

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// This file ranks documents the way FTS5's bm25 does, in Go, from what the
// writer stores of each document: its length and, for each of its terms, a
// field-weighted frequency (TermCounts). FTS5's bm25() weighs each query
// term by its document count, which it finds by walking the term's whole
// list of documents on every query: on a large archive that walk costs
// more than the rest of the search. Here the counts come from the caller
// (an estimate it keeps), and only the documents being ranked are read.

// FieldWeights are the ranking's weights of an article's fields, in the
// index's column order (title, standfirst, tags, body): those of FTS5's
// bm25(article_search, 10, 4, 6, 1).
var FieldWeights = [4]int{10, 4, 6, 1}

// bm25's parameters, FTS5's own.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// maxWeightedFreq is the largest field-weighted frequency a document
// records of one term. bm25 saturates long before it: at 255 a term's
// weight is within half a percent of its limit.
const maxWeightedFreq = 255

// TermCounts gathers one document's terms, as IndexText writes them, with
// their field-weighted frequencies. Add each field; Encode makes the
// document's record.
type TermCounts struct {
	freq   map[uint32]int
	length int
}

// Add counts the terms of one field, as IndexText wrote it (stems and
// name keys separated by spaces), each occurrence weighing weight.
func (c *TermCounts) Add(indexText string, weight int) {
	if c.freq == nil {
		c.freq = make(map[uint32]int, 512)
	}
	for indexText != "" {
		term, rest, _ := strings.Cut(indexText, " ")
		indexText = rest
		if term == "" {
			continue
		}
		c.freq[termHash(term)] += weight
		c.length++
	}
}

// Encode returns the document's record: its length in terms (the
// uvarint), then for each term, by hash, the hash (4 bytes, little-endian)
// and its weighted frequency (1 byte, at most maxWeightedFreq).
func (c *TermCounts) Encode() []byte {
	hashes := make([]uint32, 0, len(c.freq))
	for h := range c.freq {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	out := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+5*len(hashes)), uint64(c.length))
	for _, h := range hashes {
		out = binary.LittleEndian.AppendUint32(out, h)
		out = append(out, byte(min(c.freq[h], maxWeightedFreq)))
	}
	return out
}

// DocTerms returns the record of a document whose fields IndexText wrote,
// in the index's column order (title, standfirst, tags, body).
func DocTerms(columns [4]string) []byte {
	var c TermCounts
	for i, col := range columns {
		c.Add(col, FieldWeights[i])
	}
	return c.Encode()
}

// termHash is FNV-1a of the term: 32 bits, so that two terms of one
// document share a hash about once in ten million documents, which would
// only misweigh that document.
func termHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// docLength and docFreq read a record written by Encode.
func docLength(rec []byte) (length int, entries []byte) {
	n, size := binary.Uvarint(rec)
	if size <= 0 {
		return 0, nil
	}
	return int(n), rec[size:]
}

func docFreq(entries []byte, h uint32) int {
	lo, hi := 0, len(entries)/5
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if binary.LittleEndian.Uint32(entries[mid*5:]) < h {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(entries)/5 && binary.LittleEndian.Uint32(entries[lo*5:]) == h {
		return int(entries[lo*5+4])
	}
	return 0
}

// Wanted is what Narrow keeps of a record for r: the hashes of r's terms,
// sorted and each once, 4 bytes each (little-endian).
func (r Ranking) Wanted() []byte {
	hashes := slices.Clone(r.hashes)
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	out := make([]byte, 0, 4*len(hashes))
	for _, h := range hashes {
		out = binary.LittleEndian.AppendUint32(out, h)
	}
	return out
}

// Narrow returns the record rec (from Encode) cut down to what a ranking
// reads of it: the document's length and the entries of the terms in
// wanted (from Ranking.Wanted). Relevance scores it exactly as it scores
// rec. A record lists every term of its document (some 1.4 KB an
// article); what a ranking reads of it is this much. On SQLite the
// store counts the same from FTS5 (CountedRecord), without reading the
// record; Narrow is what that count must equal. It allocates nothing
// but its result, and keeps no part of its arguments; nil stays nil.
func Narrow(rec, wanted []byte) []byte {
	if rec == nil {
		return nil
	}
	n, size := binary.Uvarint(rec)
	if size <= 0 {
		return []byte{}
	}
	entries := rec[size:]
	out := binary.AppendUvarint(make([]byte, 0, size+5*len(wanted)/4), n)
	for ; len(wanted) >= 4; wanted = wanted[4:] {
		h := binary.LittleEndian.Uint32(wanted)
		if f := docFreq(entries, h); f > 0 {
			out = binary.LittleEndian.AppendUint32(out, h)
			out = append(out, byte(f))
		}
	}
	return out
}

// IDF is bm25's weight of a term found in hits of rows documents, as
// FTS5 computes it (never below a millionth).
func IDF(rows, hits float64) float64 {
	idf := math.Log((0.5 + rows - hits) / (0.5 + hits))
	if idf <= 0 {
		idf = 1e-6
	}
	return idf
}

// Ranking scores documents' records against one query, as FTS5's bm25
// scores the query's match expression: every stem and name key of its
// included clauses is a phrase of its own.
type Ranking struct {
	terms   []string
	hashes  []uint32
	clause  []int // each term's clause (group of alternatives)
	clauses int
}

// Ranking returns q's Ranking, or false when a clause q must match is a
// phrase: a record holds no positions, and FTS5 ranks those.
func (q Query) Ranking() (Ranking, bool) {
	var r Ranking
	for i, g := range q.groups {
		for _, c := range g {
			if c.phrase() {
				return Ranking{}, false
			}
			for _, t := range append([]string{c.terms[0]}, c.keys...) {
				r.terms = append(r.terms, t)
				r.hashes = append(r.hashes, termHash(t))
				r.clause = append(r.clause, i)
			}
		}
	}
	r.clauses = len(q.groups)
	return r, len(r.terms) > 0
}

// Terms are the terms whose IDF Relevance needs, in its order.
func (r Ranking) Terms() []string { return r.terms }

// Relevance is the bm25 relevance of the document whose record is rec
// (larger is better, as −bm25() from FTS5), given each term's IDF (in the
// order of Terms) and the archive's average document length; and how many
// of the query's clauses the document matches.
func (r Ranking) Relevance(rec []byte, idf []float64, avgLength float64) (rel float64, matched int) {
	length, entries := docLength(rec)
	return r.bm25(length, idf, avgLength, func(i int) int { return docFreq(entries, r.hashes[i]) })
}

// CountedRelevance is Relevance of the record CountedRecord(r.Phrases(),
// length, freq) would make, without making it: freq is asked what
// CountedRecord asks, and the frequencies weigh as the record's would.
// A search's window scores a thousand matches this way.
func (r Ranking) CountedRelevance(length int, freq func(i int) int, idf []float64, avgLength float64) (rel float64, matched int) {
	var few [16]countedTerm // a query's terms, most often: no allocation
	counted := countTerms(few[:0], len(r.hashes), func(i int) uint32 { return r.hashes[i] }, freq)
	return r.bm25(length, idf, avgLength, func(i int) int {
		for _, c := range counted {
			if c.h == r.hashes[i] {
				return c.f
			}
		}
		return 0
	})
}

// bm25 is the relevance of a document of length terms in which the i-th
// of r's terms has the weighted frequency freq(i), and how many of the
// query's clauses it matches: see Relevance.
func (r Ranking) bm25(length int, idf []float64, avgLength float64, freq func(i int) int) (rel float64, matched int) {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(length)/max(avgLength, 1))
	seen := -1
	for i := range r.hashes {
		f := freq(i)
		if f == 0 {
			continue
		}
		if r.clause[i] != seen {
			seen = r.clause[i]
			matched++
		}
		rel += idf[i] * (float64(f) * (bm25K1 + 1)) / (float64(f) + norm)
	}
	return rel, matched
}

// AddTerms returns the record rec (from Encode) with the terms of one more
// field counted in: a document's tags, known only to the writer after the
// rest was counted. rec is not modified.
func AddTerms(rec []byte, indexText string, weight int) []byte {
	var more TermCounts
	more.Add(indexText, weight)
	if len(more.freq) == 0 {
		return rec
	}
	length, entries := docLength(rec)
	added := make([]uint32, 0, len(more.freq))
	for h := range more.freq {
		added = append(added, h)
	}
	slices.Sort(added)
	out := binary.AppendUvarint(make([]byte, 0, len(rec)+5*len(added)+2), uint64(length+more.length))
	i := 0
	for len(entries) >= 5 || i < len(added) {
		switch {
		case i == len(added) || (len(entries) >= 5 && binary.LittleEndian.Uint32(entries) < added[i]):
			out = append(out, entries[:5]...)
			entries = entries[5:]
		case len(entries) >= 5 && binary.LittleEndian.Uint32(entries) == added[i]:
			out = binary.LittleEndian.AppendUint32(out, added[i])
			out = append(out, byte(min(int(entries[4])+more.freq[added[i]], maxWeightedFreq)))
			entries, i = entries[5:], i+1
		default:
			out = binary.LittleEndian.AppendUint32(out, added[i])
			out = append(out, byte(min(more.freq[added[i]], maxWeightedFreq)))
			i++
		}
	}
	return out
}

// Phrases is what a record made from FTS5's own counts needs of r (see
// CountedRecord): the hashes of r's terms in the order of Terms, which
// is also the order of the phrases of its query's FTS5 expression, 4
// bytes each (little-endian).
func (r Ranking) Phrases() []byte {
	out := make([]byte, 0, 4*len(r.hashes))
	for _, h := range r.hashes {
		out = binary.LittleEndian.AppendUint32(out, h)
	}
	return out
}

// CountedRecord returns the record, as Narrow cuts it down, of a
// document of length terms in which the i-th term of phrases (from
// Phrases) has the field-weighted frequency freq(i): what Encode and
// Narrow make of the document's TermCounts, but counted from an index
// that already holds the document's terms (FTS5's position lists), so
// that no record need be read. Repeated terms count once.
func CountedRecord(phrases []byte, length int, freq func(i int) int) []byte {
	var few [16]countedTerm // a query's terms, most often: no allocation
	counted := countTerms(few[:0], len(phrases)/4, func(i int) uint32 { return binary.LittleEndian.Uint32(phrases[4*i:]) }, freq)
	slices.SortFunc(counted, func(a, b countedTerm) int { return cmp.Compare(a.h, b.h) })
	out := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+5*len(counted)), uint64(length))
	for _, c := range counted {
		out = binary.LittleEndian.AppendUint32(out, c.h)
		out = append(out, byte(c.f))
	}
	return out
}

// countedTerm is one term of a document counted from an index: its hash
// and its weighted frequency, at most maxWeightedFreq.
type countedTerm struct {
	h uint32
	f int
}

// countTerms appends to out the terms of n (the i-th hashed hash(i))
// that the document holds, by freq(i), each once: freq is asked only for
// a term not counted yet.
func countTerms(out []countedTerm, n int, hash func(i int) uint32, freq func(i int) int) []countedTerm {
	for i := range n {
		h := hash(i)
		if slices.ContainsFunc(out, func(c countedTerm) bool { return c.h == h }) {
			continue
		}
		if f := freq(i); f > 0 {
			out = append(out, countedTerm{h, min(f, maxWeightedFreq)})
		}
	}
	return out
}
