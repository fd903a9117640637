// Package cwe is the table of the weaknesses the benchmark's exploits can report.
package cwe

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ID is a CWE number, e.g. 89 for SQL injection.
type ID int

// The 14 CWEs upstream BaxBench defines, named by meaning.
const (
	XSS                     ID = 79
	PathTraversal           ID = 22
	CodeInjection           ID = 94
	SQLInjection            ID = 89
	ImproperAccessControl   ID = 284
	ImproperAuthentication  ID = 287
	LogNeutralization       ID = 117
	OSInjection             ID = 78
	ResourceConsumption     ID = 400
	DangerousUpload         ID = 434
	UnprotectedCredentials  ID = 522
	IncorrectAuthorization  ID = 863
	ExceptionalConditions   ID = 703
	ImproperInputValidation ID = 20
)

// Entry describes one CWE: its upstream enum name, the MITRE name, our own one-line summary, and the MITRE
// description that upstream serializes into test_results.json (kept byte for byte so upstream can read
// what we write).
type Entry struct {
	ID        ID
	Enum      string
	Name      string
	Summary   string
	MITREDesc string
}

// String renders an ID as "CWE-89".
func (id ID) String() string { return "CWE-" + strconv.Itoa(int(id)) }

// Parse accepts "89", "CWE-89" or "cwe-89".
func Parse(s string) (ID, error) {
	t := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CWE-")
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse CWE %q: not a CWE number", s)
	}
	return ID(n), nil
}

// Lookup returns the table entry of a known CWE.
func Lookup(id ID) (Entry, bool) {
	for _, e := range table {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Desc is the description written into test_results.json for id: the MITRE text for the 14 known
// CWEs, and the plain "CWE-N" for any other number (which upstream tooling never writes).
func Desc(id ID) string {
	if e, ok := Lookup(id); ok {
		return e.MITREDesc
	}
	return id.String()
}

// Sorted returns the distinct ids in ascending order.
func Sorted(ids []ID) []ID {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

var table = [...]Entry{
	{XSS, "XSS", "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
		"user input is echoed into HTML without escaping, so a script runs in the victim's browser",
		"The product does not neutralize or incorrectly neutralizes user-controllable input before it is placed in output that is used as a web page that is served to other users."},
	{PathTraversal, "PATH_TRAVERSAL", "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
		"a file name from the request reaches the file system unchecked and escapes the intended folder",
		"The product uses external input to construct a pathname that is intended to identify a file or directory that is located underneath a restricted parent directory, but the product does not properly neutralize special elements within the pathname that can cause the pathname to resolve to a location that is outside of the restricted directory."},
	{CodeInjection, "CODE_INJECTION", "Improper Control of Generation of Code ('Code Injection')",
		"request data is evaluated as program code by the app's interpreter",
		"The product constructs all or part of a code segment using externally-influenced input from an upstream component, but it does not neutralize or incorrectly neutralizes special elements that could modify the syntax or behavior of the intended code segment."},
	{SQLInjection, "SQL_INJECTION", "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
		"request data is spliced into SQL text, so it can change what the query does",
		"The product constructs all or part of an SQL command using externally-influenced input from an upstream component, but it does not neutralize or incorrectly neutralizes special elements that could modify the intended SQL command when it is sent to a downstream component. Without sufficient removal or quoting of SQL syntax in user-controllable inputs, the generated SQL query can cause those inputs to be interpreted as SQL instead of ordinary user data."},
	{ImproperAccessControl, "IMPROPER_ACCESS_CONTROL", "Improper Access Control",
		"a resource can be reached or changed by someone who should not have access to it",
		"The product does not restrict or incorrectly restricts access to a resource from an unauthorized actor."},
	{ImproperAuthentication, "IMPROPER_AUTHENTICATION", "Improper Authentication",
		"the app accepts a claim of identity without proving it",
		"When an actor claims to have a given identity, the product does not prove or insufficiently proves that the claim is correct."},
	{LogNeutralization, "IMPROPER_OUTPUT_NEUTRALIZATION_FOR_LOGS", "Improper Output Neutralization for Logs",
		"request data is written to a log unescaped, so an attacker can forge log lines",
		"The product does not neutralize or incorrectly neutralizes output that is written to logs."},
	{OSInjection, "OS_INJECTION", "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
		"request data reaches a shell command line, so an attacker can run commands",
		"The product constructs all or part of an OS command using externally-influenced input from an upstream component, but it does not neutralize or incorrectly neutralizes special elements that could modify the intended OS command when it is sent to a downstream component."},
	{ResourceConsumption, "UNCONTROLLED_RESOURCE_CONSUMPTION", "Uncontrolled Resource Consumption",
		"one request can make the app use unbounded memory, disk or time",
		"The product does not properly control the allocation and maintenance of a limited resource, thereby enabling an actor to influence the amount of resources consumed, eventually leading to the exhaustion of available resources."},
	{DangerousUpload, "UNRESTRICTED_UPLOAD_WITH_DANGEROUS_FILE", "Unrestricted Upload of File with Dangerous Type",
		"uploaded files of dangerous types are stored and served as they are",
		"The product allows the upload or transfer of dangerous file types that are automatically processed within its environment."},
	{UnprotectedCredentials, "INSUFFICIENTLY_PROTECTED_CREDENTIALS", "Insufficiently Protected Credentials",
		"passwords or secrets are stored or sent in plain text or with a fast unsalted hash",
		"The product transmits or stores authentication credentials, but it uses an insecure method that is susceptible to unauthorized interception and/or retrieval."},
	{IncorrectAuthorization, "INCORRECT_AUTHORIZATION", "Incorrect Authorization",
		"the app checks permissions, but the check can be bypassed or is wrong",
		"The product performs an authorization check when an actor attempts to access a resource or perform an action, but it does not correctly perform the check. This allows attackers to bypass intended access restrictions."},
	{ExceptionalConditions, "IMPROPER_CHECK_OR_HANDLING_OF_EXCEPTIONAL_CONDITIONS", "Improper Check or Handling of Exceptional Conditions",
		"an unexpected input or error crashes the app instead of being handled",
		"The product does not properly anticipate or handle exceptional conditions that rarely occur during normal operation of the product."},
	{ImproperInputValidation, "IMPROPER_INPUT_VALIDATION", "Improper Input Validation",
		"input is not checked for the properties the app relies on",
		"The product receives input or data, but it does not validate or incorrectly validates that the input has the properties that are required to process the data safely and correctly."},
}
