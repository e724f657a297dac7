#include "textflag.h"

// Compression of A's 6-row panels for the gather kernels (see compress.go).
// A step is kept when one of its six values has bits other than the sign.

DATA absmask<>+0(SB)/8, $0x7fffffff7fffffff
DATA absmask<>+8(SB)/8, $0x7fffffff7fffffff
GLOBL absmask<>(SB), RODATA|NOPTR, $16

// func compressStepT6(row *float32, panels int, dst *float32, dstStride int, idx *int32, idxStride int, q *int, p int32)
// For the panels r < panels: the six values row[6r:6r+6] go to
// dst + r*dstStride + q[r]*24 (bytes), p to idx + r*idxStride + q[r]*4, and
// q[r] grows by one if a value is nonzero.
TEXT ·compressStepT6(SB), NOSPLIT, $0-60
	MOVQ row+0(FP), SI
	MOVQ panels+8(FP), DX
	MOVQ dst+16(FP), DI
	MOVQ dstStride+24(FP), R8
	MOVQ idx+32(FP), R11
	MOVQ idxStride+40(FP), R9
	MOVQ q+48(FP), R10
	MOVL p+56(FP), R12
	MOVOU absmask<>(SB), X7
	TESTQ DX, DX
	JEQ tdone
tloop:
	MOVUPS (SI), X0
	MOVSD 16(SI), X1 // v4, v5; upper half zeroed
	MOVQ (R10), AX
	LEAQ (AX)(AX*2), BX
	SHLQ $3, BX // 24*q
	MOVUPS X0, (DI)(BX*1)
	MOVSD X1, 16(DI)(BX*1)
	MOVL R12, (R11)(AX*4)
	POR X1, X0
	PAND X7, X0
	XORL CX, CX
	PTEST X0, X0
	SETNE CL
	ADDQ CX, AX
	MOVQ AX, (R10)
	ADDQ $24, SI
	ADDQ R8, DI
	ADDQ R9, R11
	ADDQ $8, R10
	DECQ DX
	JNE tloop
tdone:
	RET

// func compressRows6(dst *float32, idx *int32, a *float32, lda, kb int) int
// The panel of rows a, a+lda, ..., a+5*lda (elements), kb steps: the kept
// steps' six values go to dst (6 a step), their numbers to idx; it returns how
// many were kept.
TEXT ·compressRows6ASM(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ idx+8(FP), R11
	MOVQ a+16(FP), SI
	MOVQ lda+24(FP), R10
	SHLQ $2, R10
	LEAQ (R10)(R10*2), R8 // 3*lda
	LEAQ (R10)(R10*4), R9 // 5*lda
	MOVQ kb+32(FP), DX
	MOVOU absmask<>(SB), X7
	XORQ AX, AX // q
	XORQ R12, R12 // p
	TESTQ DX, DX
	JEQ rdone
rloop:
	MOVSS (SI), X0
	PINSRD $1, (SI)(R10*1), X0
	PINSRD $2, (SI)(R10*2), X0
	PINSRD $3, (SI)(R8*1), X0
	MOVSS (SI)(R10*4), X1
	PINSRD $1, (SI)(R9*1), X1
	LEAQ (AX)(AX*2), BX
	SHLQ $3, BX
	MOVUPS X0, (DI)(BX*1)
	MOVSD X1, 16(DI)(BX*1)
	MOVL R12, (R11)(AX*4)
	POR X1, X0
	PAND X7, X0
	XORL CX, CX
	PTEST X0, X0
	SETNE CL
	ADDQ CX, AX
	ADDQ $4, SI
	INCQ R12
	CMPQ R12, DX
	JLT rloop
rdone:
	MOVQ AX, ret+40(FP)
	RET
