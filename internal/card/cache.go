package card

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
)

// Cache keeps rendered cards by their content. A card is a pure function of
// its text and bars, and a comparison has few distinct headlines and
// percentages, so a small cache answers nearly every request for a shared
// link without the ~18 ms render. It is bounded: when full it starts over,
// which keeps memory fixed whatever keys hostile clients send.
type Cache struct {
	mu    sync.Mutex
	max   int
	items map[string][]byte
}

// NewCache returns a cache holding at most max cards.
func NewCache(max int) *Cache {
	return &Cache{max: max, items: make(map[string][]byte, max)}
}

// PNG returns c rendered, from the cache when it is there. The returned
// slice is shared: do not modify it.
func (k *Cache) PNG(c Card) ([]byte, error) {
	key := c.key()
	k.mu.Lock()
	b, ok := k.items[key]
	k.mu.Unlock()
	if ok {
		return b, nil
	}
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		return nil, err
	}
	b = buf.Bytes()
	k.mu.Lock()
	if len(k.items) >= k.max {
		clear(k.items)
	}
	k.items[key] = b
	k.mu.Unlock()
	return b, nil
}

// Len is the number of cards held.
func (k *Cache) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

// key is unambiguous: every text field is length-prefixed.
func (c Card) key() string {
	var b strings.Builder
	if c.Even {
		b.WriteByte('=')
	}
	for _, s := range []string{c.Site, c.Title, c.Subtitle} {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	for _, bar := range c.Bars {
		b.WriteString(strconv.Itoa(len(bar.Label)))
		b.WriteByte(':')
		b.WriteString(bar.Label)
		b.WriteString(strconv.Itoa(bar.Percent))
		if bar.Leader {
			b.WriteByte('*')
		}
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(bar.Slot))
		b.WriteByte(';')
	}
	return b.String()
}
