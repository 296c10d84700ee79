package io.flowcast.flow.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import org.junit.jupiter.api.Test;

class FlowCostTest {

    @Test
    void analyticCountMatchesTheExportedGraph() {
        for (FlowConfig config : new FlowConfig[] {
                FlowConfig.builder(2, 16).couplings(4).hiddenWidth(64).build(),
                FlowConfig.builder(8, 32).couplings(4).hiddenWidth(64).build(),
                FlowConfig.builder(1, 0).couplings(2).hiddenWidth(8).hiddenLayers(3).build(),
                FlowConfig.builder(5, 3).couplings(3).hiddenWidth(12).coupling(CouplingKind.AFFINE).build()}) {
            ConditionalFlow flow = new ConditionalFlow(config);
            long fromGraph = FlowCost.matmulFlopsPerRecord(
                    FlowOnnxExporter.logProbGraph(flow, TestFlows.randomParameters(flow, 1)));
            assertEquals(fromGraph, FlowCost.matmulFlopsPerRecord(config), config.toString());
        }
    }

    @Test
    void benchmarkConfigurationCost() {
        // d=2, k=16, 4 spline couplings of 8 bins, 2 x 64 hidden: (17*64 + 64*64 + 64*23) * 2 * 4 FLOPs.
        assertEquals((17 * 64 + 64 * 64 + 64 * 23) * 2L * 4,
                FlowCost.matmulFlopsPerRecord(FlowConfig.builder(2, 16).couplings(4).hiddenWidth(64).build()));
    }
}
