package io.publicdata.nifi.benchmarks;

import org.apache.nifi.components.state.StateManager;
import org.apache.nifi.controller.ControllerServiceLookup;
import org.apache.nifi.controller.NodeTypeProvider;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.ProcessorInitializationContext;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.MockProcessContext;
import org.apache.nifi.util.MockProcessSession;
import org.apache.nifi.util.SharedSessionState;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Processors run one after the other on one FlowFile, each reading what the previous one wrote, through NiFi's mock
 * framework: each processor is configured and scheduled by a test runner, then triggered directly with a fresh session
 * per FlowFile, so nothing accumulates from one FlowFile to the next (a runner keeps every session and FlowFile).
 * Not thread-safe: one per benchmark thread.
 */
final class Pipeline {

    /** A FlowFile to feed in: content and attributes. */
    record Input(byte[] content, Map<String, String> attributes) {
    }

    private final List<Stage> stages = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    Pipeline(final List<Scenarios.Step> steps, final Scenarios.Format format) {
        for (final Scenarios.Step step : steps) {
            stages.add(new Stage(step, format, ids));
        }
    }

    /** Runs the FlowFile through every stage; returns what the last one passed on. */
    MockFlowFile run(final Input input) {
        MockFlowFile flowFile = new MockFlowFile(ids.getAndIncrement());
        flowFile.setData(input.content());
        flowFile.putAttributes(input.attributes());
        for (final Stage stage : stages) {
            flowFile = stage.process(flowFile);
        }
        return flowFile;
    }

    /** The inputs as the pipeline leaves them: how a scenario's input is prepared from the generated data. */
    List<Input> runAll(final List<Input> inputs) {
        final List<Input> outputs = new ArrayList<>();
        for (final Input input : inputs) {
            final MockFlowFile output = run(input);
            outputs.add(new Input(output.toByteArray(), Map.copyOf(output.getAttributes())));
        }
        return outputs;
    }

    private static final class Stage {
        private final Processor processor;
        private final ProcessContext context;
        private final StateManager stateManager;
        private final Relationship output;
        private final Map<String, String> attributes;
        private final AtomicLong ids;

        Stage(final Scenarios.Step step, final Scenarios.Format format, final AtomicLong ids) {
            final TestRunner runner = TestRunners.newTestRunner(step.processor());
            Scenarios.configure(runner, step, format);
            processor = runner.getProcessor();
            final MockProcessContext processContext = (MockProcessContext) runner.getProcessContext();
            processor.initialize(new Initialization(processor, QuietLog.of(step.processor().getName()), processContext));
            // Validates and schedules (@OnScheduled) the processor with its services, as NiFi would before triggering it
            runner.run(1, false, true);
            context = processContext;
            stateManager = runner.getStateManager();
            output = step.output();
            attributes = step.attributes();
            this.ids = ids;
        }

        MockFlowFile process(final MockFlowFile flowFile) {
            if (!attributes.isEmpty()) {
                flowFile.putAttributes(attributes);
            }
            final SharedSessionState shared = new SharedSessionState(processor, ids);
            shared.getFlowFileQueue().offer(flowFile);
            final MockProcessSession session = new MockProcessSession(shared, processor, true, stateManager);
            processor.onTrigger(context, () -> session);
            final List<MockFlowFile> out = session.getFlowFilesForRelationship(output);
            if (out.size() != 1) {
                throw new IllegalStateException(processor.getClass().getSimpleName() + " passed " + out.size() + " FlowFiles on '" + output.getName()
                        + "' instead of one; " + session.getFlowFilesForRelationship("failure").stream()
                        .map(f -> f.getAttribute("record.error.message")).toList());
            }
            return out.getFirst();
        }
    }

    /** The runner's services and node type, with a quiet logger. */
    private record Initialization(Processor processor, ComponentLog logger, MockProcessContext context) implements ProcessorInitializationContext {

        @Override
        public String getIdentifier() {
            return processor.getIdentifier();
        }

        @Override
        public ComponentLog getLogger() {
            return logger;
        }

        @Override
        public ControllerServiceLookup getControllerServiceLookup() {
            return context.getControllerServiceLookup();
        }

        @Override
        public NodeTypeProvider getNodeTypeProvider() {
            return context;
        }

        @Override
        public String getKerberosServicePrincipal() {
            return null;
        }

        @Override
        public File getKerberosServiceKeytab() {
            return null;
        }

        @Override
        public File getKerberosConfigurationFile() {
            return null;
        }
    }
}
