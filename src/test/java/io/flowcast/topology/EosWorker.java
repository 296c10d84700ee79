package io.flowcast.topology;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The scoring application in a process of its own, so that the exactly-once test can kill it with no chance of a
 * clean shutdown or a last commit: {@code EosWorker <bootstrapServers> <stateDir>}. Runs until killed.
 */
public final class EosWorker {

    private EosWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = EosApp.create(args[0], args[1]);
        streams.setStateListener((next, previous) -> System.out.println("worker state " + next));
        streams.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
