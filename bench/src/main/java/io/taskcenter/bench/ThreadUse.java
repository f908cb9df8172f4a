package io.taskcenter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a process's threads used, summed by thread kind, from {@code /proc/<pid>/task/<tid>/}: CPU ticks in user
 * and in kernel mode ({@code stat}), context switches ({@code status}) and read and write system calls
 * ({@code io}: {@code read}/{@code readv} on sockets and {@code write}/{@code writev}, which includes the eventfd
 * write that wakes a sleeping event loop). A thread kind is the thread's name (at most 15 characters there) with
 * its digits made {@code N}, so "vert.x-eventloo", "executor-thread", "C2 CompilerThre" and the like are summed.
 * Without a profiler attached, it shows where the CPU goes and how much of it is system calls and wake-ups; what
 * a thread used in the reading window is lost if it ended before the window's second reading.
 */
record ThreadUse(long userTicks, long systemTicks, long switches, long reads, long writes) {

    static final ThreadUse NONE = new ThreadUse(0, 0, 0, 0, 0);

    /** Clock ticks per second (USER_HZ), 100 on Linux. */
    static final double TICKS_PER_SECOND = 100;

    /** A reading of every thread of {@code pid}, keyed by thread id, each with its kind. */
    static Map<Long, Thread> read(long pid) throws IOException {
        Map<Long, Thread> threads = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String kind = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    threads.put(Long.parseLong(task.getFileName().toString()), new Thread(kind,
                            of(stat, Files.readString(task.resolve("status")), Files.readString(task.resolve("io")))));
                } catch (IOException ended) {
                    // the thread ended while we listed them
                }
            }
        }
        return threads;
    }

    /** One thread's kind and what it used since it started. */
    record Thread(String kind, ThreadUse use) {
    }

    /**
     * The process as a whole: utime and stime of its {@code stat} (threads that ended are counted there too); no
     * switches or calls, which only its threads' files give.
     */
    static ThreadUse process(long pid) throws IOException {
        return of(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")), "", "");
    }

    static ThreadUse of(String stat, String status, String io) {
        // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ThreadUse(Long.parseLong(f[11]), Long.parseLong(f[12]),
                number(status, "voluntary_ctxt_switches:") + number(status, "nonvoluntary_ctxt_switches:"),
                number(io, "syscr:"), number(io, "syscw:"));
    }

    /** The number after {@code key} at the start of a line of {@code text}, or 0 if no line has it. */
    private static long number(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim());
            }
        }
        return 0;
    }

    long ticks() {
        return userTicks + systemTicks;
    }

    /** CPU milliseconds. */
    double cpuMs() {
        return ticks() * 1000 / TICKS_PER_SECOND;
    }

    /** The share of the CPU time spent in the kernel, or NaN without CPU time. */
    double systemShare() {
        return ticks() == 0 ? Double.NaN : (double) systemTicks / ticks();
    }

    ThreadUse plus(ThreadUse o) {
        return new ThreadUse(userTicks + o.userTicks, systemTicks + o.systemTicks, switches + o.switches,
                reads + o.reads, writes + o.writes);
    }

    ThreadUse minus(ThreadUse o) {
        return new ThreadUse(userTicks - o.userTicks, systemTicks - o.systemTicks, switches - o.switches,
                reads - o.reads, writes - o.writes);
    }

    /**
     * The use of each thread kind between two readings, thread by thread (pools start and end threads, so the
     * sums of a kind cannot simply be subtracted); kinds that used nothing are left out.
     */
    static Map<String, ThreadUse> between(Map<Long, Thread> before, Map<Long, Thread> after) {
        Map<String, ThreadUse> used = new TreeMap<>();
        after.forEach((tid, thread) -> {
            Thread earlier = before.get(tid);
            ThreadUse d = earlier == null || !earlier.kind().equals(thread.kind()) ? thread.use()
                    : thread.use().minus(earlier.use());
            if (d.ticks() > 0 || d.switches > 0 || d.reads > 0 || d.writes > 0) {
                used.merge(thread.kind(), d, ThreadUse::plus);
            }
        });
        return used;
    }

    static ThreadUse total(Map<String, ThreadUse> kinds) {
        return kinds.values().stream().reduce(NONE, ThreadUse::plus);
    }
}
