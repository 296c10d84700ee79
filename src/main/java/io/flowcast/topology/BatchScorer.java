package io.flowcast.topology;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ChiSquareTail;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.RecordScore;
import io.flowcast.anomaly.RecordScorer;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.Innovation;
import io.flowcast.flow.InnovationDensity;
import io.flowcast.flow.LatentState;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelLease;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Scores a micro-batch of admitted records across entities and streams. Each stream's model is leased once per
 * batch and that handle scores every record of the stream in the batch, so a model swapped while a batch is being
 * formed scores the whole batch or none of it: no record is scored by two versions, none is skipped, and each
 * output names its version. Records are grouped by model handle and each group costs two model calls (samples for
 * the expected values, then all log-densities). A group whose call fails is rescored record by record so that one
 * bad record is dead-lettered, not its batch. Pure: no Kafka.
 *
 * <p>A record whose context is not full yet, or whose stream has no model yet, is published as warming up; in the
 * latter case it is offered to the catalog's first fit, and when that fit completes, the rest of the batch is scored
 * by the new model.
 *
 * <p>A model with latent dependence ({@link InnovationDensity}) also scores each record given its entity's past: one
 * more model call per group gives the records' codes, and a pass over the batch in arrival order chains each entity's
 * {@link LatentState} from record to record (an entity twice in a batch: the second record uses the state the first
 * left). For a stream that keeps alarm evidence ({@link EvidenceStreams}), the same pass combines each scored
 * record's calibrated tail with its entity's marginal and seasonal views ({@link EntityEvidence}). Each outcome
 * carries the entity's {@link LatentMemory} and evidence state after its record, for the caller to keep.
 */
public final class BatchScorer {

    private static final Logger LOG = Logger.getLogger(BatchScorer.class);

    /**
     * What became of one record: a descriptor to publish (with the model that scored it), or a rejection; and the
     * entity's latent memory (the same object as before it when the record moved none) and evidence state after the
     * record (null unless its stream keeps evidence).
     */
    public record Outcome(PendingRecord pending, AnomalyDescriptor descriptor, Rejection rejection,
            LatentMemory latent, EntityEvidence.State evidence) {

        static Outcome published(PendingRecord pending, AnomalyDescriptor descriptor) {
            return new Outcome(pending, descriptor, null, pending.prior().latent(), null);
        }

        static Outcome rejected(PendingRecord pending, Rejection rejection) {
            return new Outcome(pending, null, rejection, pending.prior().latent(), null);
        }

        Outcome withScoringState(AnomalyDescriptor scored, LatentMemory nextLatent,
                EntityEvidence.State nextEvidence) {
            return new Outcome(pending, scored, rejection, nextLatent, nextEvidence);
        }

        public boolean accepted() {
            return rejection == null;
        }
    }

    private final ModelCatalog catalog;
    private final RecordScorer scorer;
    private final EvidenceStreams evidence;

    public BatchScorer(ModelCatalog catalog, RecordScorer scorer) {
        this(catalog, scorer, EvidenceStreams.NONE);
    }

    /** @param evidence the streams whose entities keep alarm evidence, and how */
    public BatchScorer(ModelCatalog catalog, RecordScorer scorer, EvidenceStreams evidence) {
        this.catalog = catalog;
        this.scorer = scorer;
        this.evidence = evidence;
    }

    /**
     * Scores a batch whose entities have no stored evidence (each starts its views afresh).
     *
     * @param now wall-clock time, written as {@code scoredAt}
     */
    public List<Outcome> score(List<PendingRecord> batch, long now) {
        return score(batch, now, key -> null);
    }

    /**
     * Scores a batch. Each stream's model is leased for the whole batch and the leases are closed when it is done,
     * so a version replaced meanwhile keeps its (native) resources until its last record is scored.
     *
     * @param now            wall-clock time, written as {@code scoredAt}
     * @param storedEvidence an entity's evidence state as the previous batch left it, by history key (stream '/'
     *                       entity); asked at most once per entity of an evidence stream
     */
    public List<Outcome> score(List<PendingRecord> batch, long now,
            Function<String, EntityEvidence.State> storedEvidence) {
        List<ModelLease> leases = new ArrayList<>(2);
        try {
            return score(batch, now, leases, storedEvidence);
        } finally {
            for (ModelLease lease : leases) {
                try {
                    lease.close();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Closing the lease on %s v%d failed", lease.model().name(), lease.model().version());
                }
            }
        }
    }

    private List<Outcome> score(List<PendingRecord> batch, long now, List<ModelLease> leases,
            Function<String, EntityEvidence.State> storedEvidence) {
        Outcome[] outcomes = new Outcome[batch.size()];
        EntityStates states = new EntityStates(batch.size(), evidence.evidence());
        Map<String, Optional<StreamModel>> models = new HashMap<>();
        Map<StreamModel, Group> groups = new IdentityHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            PendingRecord pending = batch.get(i);
            Observation observation = pending.observation();
            Optional<StreamProfile> found = catalog.profile(observation.stream());
            if (found.isEmpty()) {
                outcomes[i] = Outcome.rejected(pending, Rejection.of(DlqReason.UNKNOWN_STREAM,
                        "stream '" + observation.stream() + "' is no longer scored here"));
                continue;
            }
            StreamProfile profile = found.get();
            Optional<StreamModel> model = models.computeIfAbsent(profile.name(), stream -> lease(stream, leases));
            if (model.isPresent() && !model.get().features().equals(profile.features())) {
                outcomes[i] = Outcome.rejected(pending, Rejection.of(DlqReason.PROCESSING_ERROR, "model "
                        + model.get().name() + " v" + model.get().version() + " reads features "
                        + model.get().features() + " but stream '" + profile.name() + "' has " + profile.features()));
                continue;
            }
            float[] x = profile.vector(observation.features());
            if (evidence.enabled(profile.name())) {
                states.keepsEvidence(i, x);
            }
            ContextSpec spec = model.map(StreamModel::context).orElse(profile.context());
            EntityHistory prior = pending.prior();
            float[] context = prior.rows() >= spec.window()
                    ? spec.build(prior.values(), prior.rows(), profile.dimension(), prior.lastEventTime(),
                            observation.eventTime())
                    : null;
            if (context != null && model.isPresent()) {
                groups.computeIfAbsent(model.get(), m -> new Group(m, profile)).add(i, x, context,
                        seed(pending.source()));
                continue;
            }
            if (context != null) {
                catalog.learn(profile.name(), x, context);
                models.remove(profile.name()); // the fit may have completed: the next record asks again
            }
            outcomes[i] = Outcome.published(pending, warmingUp(pending, model, now));
        }
        for (Group group : groups.values()) {
            group.score(batch, outcomes, now, states);
        }
        states.chain(batch, outcomes, storedEvidence);
        return List.of(outcomes);
    }

    private Optional<StreamModel> lease(String stream, List<ModelLease> leases) {
        Optional<ModelLease> lease = catalog.lease(stream);
        lease.ifPresent(leases::add);
        return lease.map(ModelLease::model);
    }

    private static AnomalyDescriptor warmingUp(PendingRecord pending, Optional<StreamModel> model, long now) {
        Observation o = pending.observation();
        return AnomalyDescriptor.warmingUp(o.entityId(), o.eventTime(), o.stream(), pending.source(),
                model.map(StreamModel::ref).orElse(null), o.attributes(), now);
    }

    /** A seed that depends only on the record's identity, so a replay after a failure scores identically. */
    static long seed(SourceRef source) {
        long h = source.topic().hashCode();
        h = h * 1_000_003L + source.partition();
        return h * 0x9E3779B97F4A7C15L + source.offset();
    }

    /** The records of one batch that one model handle scores. */
    private final class Group {
        final StreamModel model;
        final StreamProfile profile;
        final List<Integer> indices = new ArrayList<>();
        final List<float[]> xs = new ArrayList<>();
        final List<float[]> contexts = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();

        Group(StreamModel model, StreamProfile profile) {
            this.model = model;
            this.profile = profile;
        }

        void add(int index, float[] x, float[] context, long seed) {
            indices.add(index);
            xs.add(x);
            contexts.add(context);
            seeds.add(seed);
        }

        void score(List<PendingRecord> batch, Outcome[] outcomes, long now, EntityStates states) {
            RecordScore[] scores;
            try {
                scores = scoreAll(0, indices.size());
            } catch (RuntimeException e) {
                LOG.debugf("Model %s v%d failed on a batch of %d; rescoring record by record: %s", model.name(),
                        model.version(), indices.size(), e);
                scores = null;
            }
            for (int j = 0; j < indices.size(); j++) {
                int i = indices.get(j);
                PendingRecord pending = batch.get(i);
                RecordScore score;
                try {
                    score = scores != null ? scores[j] : scoreAll(j, 1)[0];
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Model %s v%d failed on %s; the record goes to the dead-letter queue",
                            model.name(), model.version(), pending.source());
                    outcomes[i] = Outcome.rejected(pending, Rejection.of(DlqReason.PROCESSING_ERROR,
                            e.getClass().getSimpleName() + ": " + e.getMessage()));
                    continue;
                }
                if (!Double.isFinite(score.logDensity())) {
                    outcomes[i] = Outcome.rejected(pending, Rejection.of(DlqReason.PROCESSING_ERROR, "model "
                            + model.name() + " v" + model.version() + " gave a non-finite log-density ("
                            + score.logDensity() + ")"));
                    continue;
                }
                Observation o = pending.observation();
                outcomes[i] = Outcome.published(pending, AnomalyDescriptor.scored(o.entityId(), o.eventTime(),
                        o.stream(), pending.source(), model.ref(), score, o.attributes(), now));
            }
            if (model.density() instanceof InnovationDensity dependent) {
                codes(dependent, outcomes, states);
            }
        }

        /**
         * The codes of the group's published records, in one call (record by record if it fails); a record whose
         * code cannot be computed gets no innovation and leaves its entity without latent past.
         */
        private void codes(InnovationDensity density, Outcome[] outcomes, EntityStates states) {
            int d = density.dimension();
            float[] all;
            try {
                all = codesOf(density, 0, indices.size());
            } catch (RuntimeException e) {
                LOG.debugf("Codes of %s v%d failed on a batch of %d; computing them record by record: %s",
                        model.name(), model.version(), indices.size(), e);
                all = null;
            }
            for (int j = 0; j < indices.size(); j++) {
                int i = indices.get(j);
                if (outcomes[i] == null || !outcomes[i].accepted()) {
                    continue;
                }
                float[] code;
                try {
                    code = all != null ? Arrays.copyOfRange(all, j * d, (j + 1) * d) : codesOf(density, j, 1);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Model %s v%d gave no code for %s; its entity's latent past restarts", model.name(),
                            model.version(), outcomes[i].pending().source());
                    code = null;
                }
                states.scored(i, model, density, code);
            }
        }

        private float[] codesOf(InnovationDensity density, int from, int count) {
            int d = xs.get(0).length;
            int k = contexts.get(0).length;
            float[] x = new float[count * d];
            float[] c = new float[count * k];
            for (int j = 0; j < count; j++) {
                System.arraycopy(xs.get(from + j), 0, x, j * d, d);
                System.arraycopy(contexts.get(from + j), 0, c, j * k, k);
            }
            return density.codes(x, c, count);
        }

        private RecordScore[] scoreAll(int from, int count) {
            int d = xs.get(0).length;
            int k = contexts.get(0).length;
            float[] x = new float[count * d];
            float[] c = new float[count * k];
            long[] s = new long[count];
            for (int j = 0; j < count; j++) {
                System.arraycopy(xs.get(from + j), 0, x, j * d, d);
                System.arraycopy(contexts.get(from + j), 0, c, j * k, k);
                s[j] = seeds.get(from + j);
            }
            return scorer.scoreBatch(model.density(), model.calibration(), profile.threshold(), model.features(), x,
                    c, s, count);
        }
    }

    /** An entity's scoring state between two of its records. */
    private record Memory(LatentMemory latent, EntityEvidence.State evidence) {
    }

    /**
     * The per-entity scoring state of a batch: the codes its dependent models gave and the values of records whose
     * stream keeps evidence, by batch position, and the pass that turns them into innovations and evidence tails in
     * arrival order, chaining each entity's state through the batch.
     */
    private static final class EntityStates {
        private final StreamModel[] models;
        private final InnovationDensity[] densities;
        private final float[][] codes;
        private final boolean[] dependent;
        private final float[][] evidenceValues;
        private final EntityEvidence evidence;

        EntityStates(int size, EntityEvidence evidence) {
            models = new StreamModel[size];
            densities = new InnovationDensity[size];
            codes = new float[size][];
            dependent = new boolean[size];
            evidenceValues = new float[size][];
            this.evidence = evidence;
        }

        /** Record {@code i}'s stream keeps evidence; {@code x} are its values in feature order. */
        void keepsEvidence(int i, float[] x) {
            evidenceValues[i] = x;
        }

        /** Record {@code i} was scored by a dependent model; {@code code} is null when it could not be computed. */
        void scored(int i, StreamModel model, InnovationDensity density, float[] code) {
            models[i] = model;
            densities[i] = density;
            codes[i] = code;
            dependent[i] = true;
        }

        /**
         * Scores each dependent record given its entity's latent state, and each record of an evidence stream by its
         * combined evidence, in arrival order. An entity's state comes from its previous record in this batch, else
         * from the history it was admitted with (latent) and the evidence store; an entity that starts afresh (new, or reset after a long silence)
         * has no past whatever came before, and a latent state left by another model version counts as no past.
         * A warming-up record teaches the evidence its values but gets no evidence tail (it never alerts).
         */
        void chain(List<PendingRecord> batch, Outcome[] outcomes,
                Function<String, EntityEvidence.State> storedEvidence) {
            Map<String, Memory> latest = new HashMap<>();
            for (int i = 0; i < outcomes.length; i++) {
                PendingRecord pending = batch.get(i);
                EntityHistory prior = pending.prior();
                String key = pending.historyKey();
                Memory memory = prior.fresh() ? null : latest.get(key);
                if (memory == null) {
                    boolean keepsEvidence = evidenceValues[i] != null;
                    memory = new Memory(prior.latent(), keepsEvidence && !prior.fresh() ? storedEvidence.apply(key)
                            : null);
                }
                LatentMemory before = memory.latent();
                LatentMemory after = before;
                EntityEvidence.State evidenceAfter = memory.evidence();
                AnomalyDescriptor descriptor = outcomes[i].descriptor();
                if (dependent[i] && outcomes[i].accepted()) {
                    StreamModel model = models[i];
                    if (codes[i] == null) {
                        after = LatentMemory.NONE;
                    } else {
                        Innovation innovation = innovation(densities[i], before.stateFor(model.ref()), codes[i],
                                descriptor.logDensity(), pending.observation().eventTime());
                        if (Double.isFinite(innovation.logDensity())
                                && Double.isFinite(innovation.standardisedResidualSquared())) {
                            descriptor = descriptor.withInnovation(innovation.logDensity(), ChiSquareTail.survival(
                                    innovation.standardisedResidualSquared(), codes[i].length));
                            after = new LatentMemory(model.ref(), innovation.next());
                        } else {
                            after = LatentMemory.NONE; // a code beyond float range says nothing about the next one
                        }
                    }
                }
                if (evidenceValues[i] != null && evidenceAfter == null) {
                    evidenceAfter = evidence.empty(evidenceValues[i].length); // new, or starting afresh
                }
                if (evidenceValues[i] != null && outcomes[i].accepted()) {
                    double conditional = descriptor.warmingUp() || descriptor.tailProbability() == null ? Double.NaN
                            : descriptor.tailProbability();
                    EntityEvidence.Step step = evidence.update(evidenceAfter,
                            pending.observation().eventTime(), evidenceValues[i], conditional);
                    if (!Double.isNaN(step.tail())) {
                        descriptor = descriptor.withEvidence(step.tail());
                    }
                    evidenceAfter = step.next();
                }
                outcomes[i] = outcomes[i].withScoringState(descriptor, after, evidenceAfter);
                latest.put(key, new Memory(after, evidenceAfter));
            }
        }

        /** As {@link InnovationDensity#innovations}, from the code and the marginal log-density already computed. */
        private static Innovation innovation(InnovationDensity density, LatentState state, float[] code,
                double marginalLogDensity, long eventTime) {
            double[] z = new double[code.length];
            for (int j = 0; j < z.length; j++) {
                z[j] = code[j];
            }
            return Innovation.of(density.dependence(), state, z, marginalLogDensity, eventTime);
        }
    }
}
