/* gen_sse.h — MMX/SSE/SSE2 gen functions (included by gen.h). */
