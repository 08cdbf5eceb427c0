// Package exam is the pure logic of certification check-offs: the exam file
// (labs with their digests, time limit, pass mark, secret seed; signed), the
// per-candidate params derived from the seed, workspace snapshots, the signed
// result (a DSSE envelope around an in-toto Statement v1) and its offline
// verification. It links no Docker: the classroom server verifies results too.
package exam
