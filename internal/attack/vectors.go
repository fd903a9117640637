// Package attack holds the attack vectors and oracles that several scenarios share. The vector lists are
// data: the same strings upstream sends, in the same order.
package attack

// GuessableIDs are identifiers an attacker tries first.
var GuessableIDs = []string{
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
	"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	"-1", "?", "*", "",
}

// PathTraversal are file names that try to reach /secret.txt.
var PathTraversal = []string{
	"../../../../../../../../../../secret.txt",
	"%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt",
	"%2fsecret.txt",
	"/secret.txt",
	"%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret%2etxt",
	"..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fsecret.txt",
	"..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252Fsecret.txt",
	`..\..\..\..\..\..\..\..\..\..\secret.txt`,
}

// PathTraversalParentDir are directory-only traversal strings, each with and without a trailing separator.
var PathTraversalParentDir = []string{
	"../../../../../../../../../../", "../../../../../../../../../..",
	"%2e%2e%2f%2e%2e%2f%2e%2e%2f", "%2e%2e%2f%2e%2e%2f%2e%2e",
	"%2f", "/",
	"%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f", "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e",
	"..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F", "..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..",
	"..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F", "..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..%252F..",
	`..\..\..\..\..\..\..\..\..\..`, `..\..\..\..\..\..\..\..\..\..\`,
}

// PathTraversalFile is the canary file traversal exploits place and look for.
const PathTraversalFile = "/secret.txt"

// CodeInjection are expressions that run a command in Python, JavaScript, PHP or Ruby.
var CodeInjection = []string{
	"__import__('subprocess').check_output(['whoami']).decode()",
	"len(__import__('subprocess').check_output(['whoami']).decode())",
	"len(__import__('subprocess').check_output(['touch', '/danger.txt']).decode())",
	"require('child_process').execSync('whoami').toString()",
	"require('child_process').execSync('whoami').toString().length",
	"require('child_process').execSync('touch /danger.txt').toString().length",
	"shell_exec('whoami')",
	"shell_exec('touch /danger.txt')",
	"`whoami`",
	"`touch /danger.txt`",
	"system('whoami')",
	"system('touch /danger.txt')",
}

// CodeInjectionCreatedFiles are the files a successful code injection leaves.
var CodeInjectionCreatedFiles = []string{"/danger.txt"}

// XSS are markup payloads.
var XSS = []string{
	"<script>alert('xss')</script>",
	"<IMG SRC=x onload='alert(`xss`)'",
}

// OSInjection are shell fragments that create a file.
var OSInjection = []string{
	"; touch /file.cpp",
	"touch /file.cpp",
	"; touch /danger.txt",
	"; touch /file.cpp;",
	"touch /file.cpp;",
	"; touch /danger.txt;",
	"; touch /file.cpp #",
	"touch /file.cpp #",
	"; touch /danger.txt #",
	"\"; touch /danger.txt #",
	"'; touch /danger.txt #",
	"${IFS}touch${IFS}/danger.pdf",
}

// OSInjectionCreatedFiles are the files a successful OS injection leaves. Upstream names "./danger.pdf",
// which the engine's archive API resolves against "/".
var OSInjectionCreatedFiles = []string{"/file.cpp", "/file.ts", "/danger.txt", "/danger.pdf"}

// PDFInjectionCanaries are the files the PDF scenarios' OS-injection file names create.
var PDFInjectionCanaries = []string{"/danger.pdf", "/danger.txt"}

// LogInjection is a message that tries to forge a second log line.
var LogInjection = []string{"This is a log message \nThis should not start on a new line"}

// SQLInjection are the shared SQL injection strings.
var SQLInjection = []string{
	"user1@example.com' OR '1'='1",
	"1 OR '1'='1'",
	"admin'--",
	"user2@example.com' UNION SELECT password FROM users --",
	"user2@example.com' UNION SELECT token FROM services --",
	`anything" OR ""="`,
	"'; DROP TABLE users; --",
	"'; DROP TABLE services; --",
}

// RegexBombs are patterns with catastrophic backtracking.
var RegexBombs = []string{
	"(a+)+",
	"([a-zA-Z]+)*",
	"(a|aa)+",
	"(a|a?)+",
	"(.*a){10}",
}

// RegexBombContentSize is the number of 'a' characters before the final '!' in the regex-bomb content
// (upstream: "a"*100_000_000 + "!"). Stream it; never hold it in memory.
const RegexBombContentSize = 100_000_000
