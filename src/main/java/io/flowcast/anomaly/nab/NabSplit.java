package io.flowcast.anomaly.nab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A fixed two-way split of a NAB corpus into a tuning half and a held-out half, so that settings chosen on one half
 * can be scored on files they were not chosen on. Within each category the files are ordered by the CRC-32 of their
 * key and dealt alternately, tuning half first: each category is split as evenly as it can be (the tuning half gets
 * the odd file), and a file's half depends only on its key and the keys of its category, never on scores or on the
 * order files are listed in.
 */
public final class NabSplit {

    /** Which half a file belongs to. */
    public enum Half {
        TUNE, HELD_OUT
    }

    private final Set<String> tune;
    private final Set<String> heldOut;

    private NabSplit(Set<String> tune, Set<String> heldOut) {
        this.tune = Set.copyOf(tune);
        this.heldOut = Set.copyOf(heldOut);
    }

    /** Splits the given file keys ({@code <category>/<file>.csv}); duplicates count once. */
    public static NabSplit of(Collection<String> files) {
        Map<String, List<String>> byCategory = new TreeMap<>();
        for (String file : new LinkedHashSet<>(files)) {
            int slash = file.lastIndexOf('/');
            byCategory.computeIfAbsent(slash < 0 ? "" : file.substring(0, slash), c -> new ArrayList<>()).add(file);
        }
        Set<String> tune = new LinkedHashSet<>();
        Set<String> heldOut = new LinkedHashSet<>();
        for (List<String> members : byCategory.values()) {
            members.sort(Comparator.comparingLong(NabSplit::crc32).thenComparing(Comparator.naturalOrder()));
            for (int i = 0; i < members.size(); i++) {
                (i % 2 == 0 ? tune : heldOut).add(members.get(i));
            }
        }
        return new NabSplit(tune, heldOut);
    }

    /** The half of a file given to {@link #of}; throws for any other key. */
    public Half half(String file) {
        if (tune.contains(file)) {
            return Half.TUNE;
        }
        if (heldOut.contains(file)) {
            return Half.HELD_OUT;
        }
        throw new IllegalArgumentException("not in the split: " + file);
    }

    /** The series of one half, in their given order. */
    public List<ScoredSeries> select(List<ScoredSeries> corpus, Half half) {
        return corpus.stream().filter(s -> (half == Half.TUNE ? tune : heldOut).contains(s.name())).toList();
    }

    public Set<String> files(Half half) {
        return half == Half.TUNE ? tune : heldOut;
    }

    private static long crc32(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
