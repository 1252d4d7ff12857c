package card

import (
	"bytes"
	"testing"
)

func TestCacheReturnsRenderedBytes(t *testing.T) {
	k := NewCache(2)
	c := Card{Site: "versus", Title: "Flask fits this project (78%)", Subtitle: "Django vs Flask",
		Bars: []Bar{{Label: "Django", Percent: 22}, {Label: "Flask", Percent: 78}}}
	got, err := k.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := Render(&want, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("cached PNG differs from a fresh render")
	}
	again, err := k.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	if &again[0] != &got[0] {
		t.Error("second request rendered again instead of using the cache")
	}
}

func TestCacheKeysByContent(t *testing.T) {
	a := Card{Title: "ab", Subtitle: "c", Bars: []Bar{{Label: "x", Percent: 1}}}
	b := Card{Title: "a", Subtitle: "bc", Bars: []Bar{{Label: "x", Percent: 1}}}
	if a.key() == b.key() {
		t.Fatalf("different cards share the key %q", a.key())
	}
	c := Card{Title: "a", Bars: []Bar{{Label: "x", Percent: 10}}}
	d := Card{Title: "a", Bars: []Bar{{Label: "x1", Percent: 0}}}
	if c.key() == d.key() {
		t.Fatalf("different bars share the key %q", c.key())
	}
	e := Card{Title: "a", Bars: []Bar{{Label: "x", Percent: 10, Leader: true}}}
	f := Card{Title: "a", Bars: []Bar{{Label: "x", Percent: 10}}, Even: true}
	if e.key() == c.key() || f.key() == c.key() {
		t.Fatalf("a leader's star or an even card shares the key %q", c.key())
	}
}

func TestCacheIsBounded(t *testing.T) {
	k := NewCache(3)
	for p := 0; p <= 10; p++ {
		if _, err := k.PNG(Card{Title: "t", Bars: []Bar{{Label: "x", Percent: p}}}); err != nil {
			t.Fatal(err)
		}
		if k.Len() > 3 {
			t.Fatalf("cache holds %d cards, max 3", k.Len())
		}
	}
}

func TestCacheRefusesInvalidCard(t *testing.T) {
	k := NewCache(3)
	if _, err := k.PNG(Card{}); err == nil {
		t.Fatal("an empty title was accepted")
	}
	if k.Len() != 0 {
		t.Fatal("an invalid card was cached")
	}
}
