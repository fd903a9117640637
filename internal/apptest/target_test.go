package apptest

import "testing"

// The table of _shared.md §4: what a server receives from Python requests for these paths.
func TestRequestsTargetMatchesPythonRequests(t *testing.T) {
	cases := map[string]string{
		"/images/../../../../../../../../../../secret.txt": "/secret.txt",
		"/images/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt":    "/images/..%2F..%2F..%2Fsecret.txt",
		"/images/%2fsecret.txt":                            "/images/%2Fsecret.txt",
		"/images//secret.txt":                              "/images//secret.txt",
		"/images/..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252Fsecret.txt": "/images/..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252Fsecret.txt",
		`/images/..\..\..\..\..\..\..\..\..\..\secret.txt`:                                         "/images/..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5Csecret.txt",
		"/images/?":     "/images/",
		"/images/":      "/images/",
		"/images/?.png": "/images/?.png",
		"/images/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret%2etxt": "/images/..%2F..%2F..%2F..%2F..%2F..%2Fsecret.txt",
		"/download/a b":    "/download/a%20b",
		"/x/./y/../z#frag": "/x/z",
	}
	for in, want := range cases {
		if got := RequestsTarget(in); got != want {
			t.Errorf("RequestsTarget(%q) = %q, want %q", in, got, want)
		}
	}
}
