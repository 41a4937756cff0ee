# emu — top-level Makefile. Run ./configure first; it writes config.mk.
#
# Sources are picked up by folder, so a new file needs no edit here:
#   src/**.c            -> build/libemu.a (all but src/main.c and other hosts' JITs)
#   src/main.c          -> build/emu
#   tests/unit/*.c      -> build/tests/emu-tests (the Check runner, `make check`)
#   tests/guests/*.asm  -> build/tests/guests/*.bin (flat guest programs, nasm)
#   bios/*.asm          -> build/bios/*.bin (option ROMs and stubs we build)

ifeq ($(wildcard config.mk),)
$(error run ./configure first)
endif
include config.mk

# B=DIR builds elsewhere (engineers working side by side each use their own).
B ?= build
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
	-Wshadow=local -Werror=implicit-function-declaration -Werror=return-type
CFLAGS := -std=gnu11 $(OPT) $(WARN) -fno-strict-aliasing -fwrapv -Ibuild -Isrc $(DEP_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS := $(DEP_LIBS) -lm $(EXTRA_LIBS)

ALL_SRCS := $(sort $(shell find src -name '*.c'))
# Backends: every src/tcg/<name>/ with a backend.c; this build takes interp
# and the JIT folder of its host (config.mk's JIT).
BACKEND_DIRS := $(patsubst src/tcg/%/backend.c,%,$(wildcard src/tcg/*/backend.c))
HOST_SRCS := $(filter src/tcg/interp/%,$(ALL_SRCS))
ifneq ($(JIT),none)
HOST_SRCS += $(filter src/tcg/$(JIT)/%,$(ALL_SRCS))
endif
LIB_SRCS := $(filter-out src/main.c $(BACKEND_DIRS:%=src/tcg/%/%),$(ALL_SRCS)) $(HOST_SRCS)
ifneq ($(HAVE_SDL),yes)
LIB_SRCS := $(filter-out src/ui/sdl%,$(LIB_SRCS))
endif
ifneq ($(HAVE_SLIRP),yes)
LIB_SRCS := $(filter-out src/hw/net_slirp%,$(LIB_SRCS))
endif
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)

TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(B)/%.o)
GUEST_BINS := $(patsubst tests/guests/%.asm,$(B)/tests/guests/%.bin,$(wildcard tests/guests/*.asm))
BIOS_BINS := $(patsubst bios/%.asm,$(B)/bios/%.bin,$(wildcard bios/*.asm))
BIOS_AML := $(patsubst bios/%.dsl,$(B)/bios/%.aml,$(wildcard bios/*.dsl))

.PHONY: all check install clean distclean fuzz-cpu bench guests firmware
all: $(B)/emu firmware

firmware: $(BIOS_BINS) $(BIOS_AML)
guests: $(GUEST_BINS)

# V=1 shows full command lines.
Q := $(if $(V),,@)

$(B)/libemu.a: $(LIB_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	$(Q)$(AR) rcs $@ $^

$(B)/emu: $(B)/src/main.o $(B)/libemu.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/%.o: %.c config.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c config.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(CHECK_CFLAGS) -Itests -MMD -MP -c -o $@ $<

$(B)/tests/guests/%.bin: tests/guests/%.asm $(wildcard tests/guests/*.inc)
	@mkdir -p $(dir $@)
	nasm -f bin -Itests/guests/ -o $@ $<

$(B)/bios/%.bin: bios/%.asm $(wildcard bios/*.inc)
	@mkdir -p $(dir $@)
	nasm -f bin -Ibios/ -o $@ $<

$(B)/bios/%.aml: bios/%.dsl
	@mkdir -p $(dir $@)
	iasl -p $(basename $@) $< >$(B)/bios/$*.iasl.log 2>&1 || { cat $(B)/bios/$*.iasl.log; exit 1; }

$(B)/tests/emu-tests: $(TEST_OBJS) $(B)/libemu.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(TEST_OBJS) $(B)/libemu.a $(LDLIBS) $(CHECK_LIBS)

# The differential CPU test's native runner: 32-bit code, x86 hosts with gcc -m32 only
# (tests/native/; the cpu_diff suite skips itself when the runner is missing).
$(B)/tests/emu-tests: $(if $(filter x86_64 i%86,$(HOST_ARCH)),$(B)/tests/native/diff-runner)
$(B)/tests/native/diff-runner: tests/native/diff_runner.c tests/native/diff_proto.h
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $<"
	$(Q)$(CC) -m32 -O2 -no-pie -o $@ $< || echo "  (no 32-bit toolchain: cpu_diff will skip)"

# The benchmark ROM (a freestanding i686 C program): the lockstep test runs
# it too. Built where the host compiler targets i686 (-m32 on x86-64).
BENCH_GUEST := $(if $(filter x86_64,$(HOST_ARCH)),$(B)/bench/guest.bin)
$(B)/bench/guest.bin: $(wildcard bench/guest/*)
	@echo "  BENCH   $@"
	$(Q)B=$(abspath $(B)) bench/guest/build

# The Check runner prints one summary line at the end; its exit status is the verdict.
check: all guests $(BENCH_GUEST) $(B)/tests/emu-tests
	EMU_TOP=$(CURDIR) EMU_BUILD=$(abspath $(B)) $(B)/tests/emu-tests

# A longer randomised differential run of the CPU against the host (see tests/unit/test_cpu_diff.c).
fuzz-cpu: all $(B)/tests/emu-tests
	EMU_TOP=$(CURDIR) EMU_BUILD=$(abspath $(B)) EMU_FUZZ_SEQUENCES=$${EMU_FUZZ_SEQUENCES:-200000} CK_RUN_SUITE=cpu_diff $(B)/tests/emu-tests

bench: all
	bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/emu
	install -m 755 $(B)/emu $(DESTDIR)$(PREFIX)/bin/emu
	for f in $(BIOS_BINS) $(BIOS_AML); do install -m 644 $$f $(DESTDIR)$(PREFIX)/share/emu/; done

clean:
	rm -rf $(B)/src $(B)/tests $(B)/bios $(B)/emu $(B)/libemu.a build-*/

distclean:
	rm -rf $(B) config.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
