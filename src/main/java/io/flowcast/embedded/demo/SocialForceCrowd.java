package io.flowcast.embedded.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pedestrians crossing a plaza, moved by the social force model (Helbing and Molnar 1995): each agent accelerates
 * towards its goal at its preferred speed with relaxation time tau, is pushed away from other agents by an
 * exponential repulsion A exp((r_ij - d_ij) / B) that is weaker for agents behind it (anisotropy lambda), and from
 * a pillar in the middle of the plaza. Agents enter on one side, leave at a goal on another and are replaced by new
 * agents. Rarely an agent turns back or breaks into a run: the injected anomalies, labelled in its states.
 * Deterministic for a seed.
 */
public final class SocialForceCrowd {

    /** The model's constants; {@link #defaults(int)} are the published values for pedestrians. */
    public record Parameters(double width, double height, int agents, double meanSpeed, double speedSd,
            double relaxation, double repulsion, double range, double radius, double anisotropy, double noise,
            double pillarRadius, double anomalyRate) {

        public static Parameters defaults(int agents) {
            return new Parameters(20, 14, agents, 1.3, 0.15, 0.5, 2.1, 0.3, 0.25, 0.35, 0.1, 1.0, 0.002);
        }
    }

    /** An agent's position (m) and velocity (m/s) after a step; {@code anomaly} names an injected behaviour. */
    public record AgentState(String id, double x, double y, double vx, double vy, String anomaly) {

        public double speed() {
            return Math.hypot(vx, vy);
        }
    }

    private static final double SUBSTEP = 0.1;
    private static final double ARRIVAL_DISTANCE = 0.5;
    private static final double MAX_AGE_SECONDS = 120;
    private static final int LABELLED_STEPS = 5;

    private final Parameters p;
    private final SplittableRandom random;
    private final List<Agent> agents = new ArrayList<>();
    private long nextId = 1;

    public SocialForceCrowd(Parameters parameters, long seed) {
        this.p = parameters;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < p.agents(); i++) {
            agents.add(spawn());
        }
    }

    /** Advances the crowd by {@code seconds} and returns every agent's state (arrived agents are replaced). */
    public List<AgentState> step(double seconds) {
        int substeps = Math.max(1, (int) Math.ceil(seconds / SUBSTEP - 1e-9));
        double h = seconds / substeps;
        for (int s = 0; s < substeps; s++) {
            move(h);
        }
        List<AgentState> states = new ArrayList<>(agents.size());
        for (int i = 0; i < agents.size(); i++) {
            Agent agent = agents.get(i);
            maybeMisbehave(agent);
            states.add(new AgentState(agent.id, agent.x, agent.y, agent.vx, agent.vy,
                    agent.labelledSteps-- > 0 ? agent.anomaly : null));
            agent.age += seconds;
            if (Math.hypot(agent.gx - agent.x, agent.gy - agent.y) < ARRIVAL_DISTANCE || agent.age > MAX_AGE_SECONDS) {
                agents.set(i, spawn());
            }
        }
        return states;
    }

    private void move(double h) {
        int n = agents.size();
        double[] ax = new double[n];
        double[] ay = new double[n];
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            double toGoal = Math.max(1e-9, Math.hypot(a.gx - a.x, a.gy - a.y));
            double ex = (a.gx - a.x) / toGoal;
            double ey = (a.gy - a.y) / toGoal;
            // Driving force: relax towards the preferred velocity.
            double fx = (a.v0 * ex - a.vx) / p.relaxation();
            double fy = (a.v0 * ey - a.vy) / p.relaxation();
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                Agent b = agents.get(j);
                double dx = a.x - b.x;
                double dy = a.y - b.y;
                double distance = Math.max(1e-6, Math.hypot(dx, dy));
                double nx = dx / distance;
                double ny = dy / distance;
                double magnitude = p.repulsion() * Math.exp((2 * p.radius() - distance) / p.range());
                // Anisotropy: an agent reacts fully to someone ahead, by lambda to someone behind.
                double cosPhi = -(nx * ex + ny * ey);
                double weight = p.anisotropy() + (1 - p.anisotropy()) * (1 + cosPhi) / 2;
                fx += weight * magnitude * nx;
                fy += weight * magnitude * ny;
            }
            double px = a.x - p.width() / 2;
            double py = a.y - p.height() / 2;
            double centre = Math.max(1e-6, Math.hypot(px, py));
            double pillar = 3 * p.repulsion() * Math.exp((p.radius() - (centre - p.pillarRadius())) / p.range());
            fx += pillar * px / centre + p.noise() * random.nextGaussian();
            fy += pillar * py / centre + p.noise() * random.nextGaussian();
            ax[i] = fx;
            ay[i] = fy;
        }
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            a.vx += ax[i] * h;
            a.vy += ay[i] * h;
            double speed = Math.hypot(a.vx, a.vy);
            double maxSpeed = 1.3 * a.v0;
            if (speed > maxSpeed) {
                a.vx *= maxSpeed / speed;
                a.vy *= maxSpeed / speed;
            }
            a.x += a.vx * h;
            a.y += a.vy * h;
        }
    }

    private void maybeMisbehave(Agent agent) {
        if (agent.anomaly != null || random.nextDouble() >= p.anomalyRate()) {
            return;
        }
        if (random.nextBoolean()) {
            agent.anomaly = "turn-back";
            agent.gx = agent.startX;
            agent.gy = agent.startY;
        } else {
            agent.anomaly = "run";
            agent.v0 = 3.2;
        }
        agent.labelledSteps = LABELLED_STEPS;
    }

    private Agent spawn() {
        int entry = random.nextInt(4);
        int exit = (entry + 1 + random.nextInt(3)) % 4;
        double[] start = pointOnSide(entry);
        double[] goal = pointOnSide(exit);
        double v0 = Math.min(1.8, Math.max(0.8, p.meanSpeed() + p.speedSd() * random.nextGaussian()));
        double distance = Math.hypot(goal[0] - start[0], goal[1] - start[1]);
        Agent agent = new Agent("ped-" + nextId++, start[0], start[1], goal[0], goal[1], v0);
        agent.vx = v0 * (goal[0] - start[0]) / distance;
        agent.vy = v0 * (goal[1] - start[1]) / distance;
        return agent;
    }

    /** A random point on side 0 (south), 1 (east), 2 (north) or 3 (west), away from the corners. */
    private double[] pointOnSide(int side) {
        double u = 0.1 + 0.8 * random.nextDouble();
        return switch (side) {
            case 0 -> new double[] {u * p.width(), 0.2};
            case 1 -> new double[] {p.width() - 0.2, u * p.height()};
            case 2 -> new double[] {u * p.width(), p.height() - 0.2};
            default -> new double[] {0.2, u * p.height()};
        };
    }

    private static final class Agent {
        final String id;
        final double startX;
        final double startY;
        double x;
        double y;
        double vx;
        double vy;
        double gx;
        double gy;
        double v0;
        double age;
        String anomaly;
        int labelledSteps;

        Agent(String id, double x, double y, double gx, double gy, double v0) {
            this.id = id;
            this.startX = x;
            this.startY = y;
            this.x = x;
            this.y = y;
            this.gx = gx;
            this.gy = gy;
            this.v0 = v0;
        }
    }
}
