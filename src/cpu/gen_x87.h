/* gen_x87.h — x87 gen functions (included by gen.h). */
