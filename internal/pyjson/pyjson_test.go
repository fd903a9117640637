package pyjson

import (
	"encoding/json"
	"testing"
)

func TestMarshalLikePython(t *testing.T) {
	type user struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Age      int    `json:"age"`
	}
	cases := []struct {
		in   any
		want string
	}{
		// json.dumps({"email": "a<b>&c", "password": "é", "age": 3})
		{user{"a<b>&c", "é", 3}, `{"email": "a<b>&c", "password": "\u00e9", "age": 3}`},
		{map[string]any{"b": []any{1, "x", true, nil}, "a": map[string]string{}}, `{"a": {}, "b": [1, "x", true, null]}`},
		{"line\nbreak \"q\" \x7f 😀", `"line\nbreak \"q\" \u007f \ud83d\ude00"`},
		{[]string{}, `[]`},
	}
	for _, c := range cases {
		got, err := Marshal(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("Marshal(%v)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestTruthy(t *testing.T) {
	for in, want := range map[string]bool{`null`: false, `false`: false, `0`: false, `""`: false, `[]`: false, `{}`: false,
		`true`: true, `1`: true, `-0.5`: true, `"x"`: true, `[0]`: true, `{"a":null}`: true} {
		var v any
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatal(err)
		}
		if Truthy(v) != want {
			t.Errorf("Truthy(%s) = %v", in, !want)
		}
	}
}
