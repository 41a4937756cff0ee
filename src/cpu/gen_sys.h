/* gen_sys.h — system instruction gen functions (included by gen.h). */
GEN(HLT) GEN(CLI) GEN(STI) GEN(IN) GEN(OUT)
