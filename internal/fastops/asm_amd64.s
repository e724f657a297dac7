#include "textflag.h"

// Plain AVX (no FMA): each operation rounds as the Go code's does, so the
// results are bit-identical to adamGo and the SGD loop. n is a multiple of 8.

// func adamAVX(w, grad, m, v *float32, n int, alpha, c1, c2, eps float32)
TEXT ·adamAVX(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSS alpha+40(FP), Y12
	VBROADCASTSS c1+44(FP), Y13
	VBROADCASTSS c2+48(FP), Y14
	VBROADCASTSS eps+52(FP), Y15
	XORQ AX, AX
	SHRQ $3, CX
	JEQ adamdone
adamloop:
	VMOVUPS (SI)(AX*1), Y0 // g
	VMOVUPS (R8)(AX*1), Y1 // m
	VMOVUPS (R9)(AX*1), Y2 // v
	VSUBPS Y1, Y0, Y3      // g - m
	VMULPS Y13, Y3, Y3     // (g - m) * c1
	VADDPS Y3, Y1, Y1      // m += ...
	VMULPS Y0, Y0, Y4      // g*g
	VSUBPS Y2, Y4, Y4      // g*g - v
	VMULPS Y14, Y4, Y4     // (g*g - v) * c2
	VADDPS Y4, Y2, Y2      // v += ...
	VMOVUPS Y1, (R8)(AX*1)
	VMOVUPS Y2, (R9)(AX*1)
	VMULPS Y12, Y1, Y5     // m * alpha
	VSQRTPS Y2, Y6
	VADDPS Y15, Y6, Y6     // sqrt(v) + eps
	VDIVPS Y6, Y5, Y5
	VMOVUPS (DI)(AX*1), Y7
	VSUBPS Y5, Y7, Y7
	VMOVUPS Y7, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNE adamloop
adamdone:
	VZEROUPPER
	RET

// func sgdAVX(w, grad *float32, n int, lr float32)
TEXT ·sgdAVX(SB), NOSPLIT, $0-28
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS lr+24(FP), Y15
	XORQ AX, AX
	SHRQ $3, CX
	JEQ sgddone
sgdloop:
	VMOVUPS (SI)(AX*1), Y0
	VMULPS Y15, Y0, Y0
	VMOVUPS (DI)(AX*1), Y1
	VSUBPS Y0, Y1, Y1
	VMOVUPS Y1, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNE sgdloop
sgddone:
	VZEROUPPER
	RET

// func addBiasAVX(z, bias *float32, n int, relu bool)
// z[j] += bias[j] for j < n (n a multiple of 8), then max(0, x) if relu:
// VMAXPS returns its second source when either is NaN, so NaN stays NaN,
// and -0 stays -0, as in the Go loop.
TEXT ·addBiasAVX(SB), NOSPLIT, $0-25
	MOVQ z+0(FP), DI
	MOVQ bias+8(FP), SI
	MOVQ n+16(FP), CX
	MOVBLZX relu+24(FP), DX
	VXORPS Y15, Y15, Y15
	XORQ AX, AX
	SHRQ $3, CX
	JEQ biasdone
biasloop:
	VMOVUPS (DI)(AX*1), Y0
	VADDPS (SI)(AX*1), Y0, Y0
	TESTQ DX, DX
	JEQ biasstore
	VMAXPS Y0, Y15, Y0
biasstore:
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNE biasloop
biasdone:
	VZEROUPPER
	RET

// func reluGradAVX(d, out *float32, n int)
// d[i] = 0 where !(out[i] > 0), n a multiple of 8.
TEXT ·reluGradAVX(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ out+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPS Y15, Y15, Y15
	XORQ AX, AX
	SHRQ $3, CX
	JEQ reludone
reluloop:
	VMOVUPS (SI)(AX*1), Y0
	VCMPPS $14, Y15, Y0, Y1 // out > 0 (ordered: NaN gives false)
	VANDPS (DI)(AX*1), Y1, Y1
	VMOVUPS Y1, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNE reluloop
reludone:
	VZEROUPPER
	RET

// func rmspropAVX(w, grad, v *float32, n int, lr, r, c, eps float32)
TEXT ·rmspropAVX(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ v+16(FP), R9
	MOVQ n+24(FP), CX
	VBROADCASTSS lr+32(FP), Y12
	VBROADCASTSS r+36(FP), Y13
	VBROADCASTSS c+40(FP), Y14
	VBROADCASTSS eps+44(FP), Y15
	XORQ AX, AX
	SHRQ $3, CX
	JEQ rmsdone
rmsloop:
	VMOVUPS (SI)(AX*1), Y0 // g
	VMULPS (R9)(AX*1), Y13, Y1 // r*v
	VMULPS Y0, Y0, Y2      // g*g
	VMULPS Y14, Y2, Y2     // c*g*g
	VADDPS Y2, Y1, Y1      // v
	VMOVUPS Y1, (R9)(AX*1)
	VADDPS Y15, Y1, Y1     // v + eps
	VSQRTPS Y1, Y1
	VMULPS Y12, Y0, Y0     // lr*g
	VDIVPS Y1, Y0, Y0
	VMOVUPS (DI)(AX*1), Y3
	VSUBPS Y0, Y3, Y3
	VMOVUPS Y3, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNE rmsloop
rmsdone:
	VZEROUPPER
	RET
