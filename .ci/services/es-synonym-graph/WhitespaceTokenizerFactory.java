package ocop.search;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenizerFactory;

/** The "whitespace" tokenizer, which analysis-common defines too (see SynonymGraphFactory). */
@NamedComponent("whitespace")
public class WhitespaceTokenizerFactory implements TokenizerFactory {
    @Override
    public Tokenizer create() {
        return new WhitespaceTokenizer();
    }
}
