package org.cytolake.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads an analysis workspace into a {@link Workspace}: FlowJo 10 / X {@code .wsp}, FlowJo 9 (Mac, XML version 2.0)
 * and BD FACSDiva XML experiment exports, told apart by their root element. External entities and DTDs are not
 * loaded (FlowJo 9 writes {@code <!DOCTYPE Workspace>}).
 */
public final class WorkspaceReader {
  private WorkspaceReader() {}

  /**
   * Reads a workspace file.
   *
   * @throws WorkspaceException for malformed XML (with line and column) or content this reader cannot use, naming
   *     the workspace, sample, gate and value
   */
  public static Workspace read(Path file) throws IOException, WorkspaceException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    }
  }

  /**
   * Reads a workspace from a stream.
   *
   * @param source the name used in messages (the file name)
   * @throws WorkspaceException as {@link #read(Path)}
   */
  public static Workspace read(InputStream in, String source)
      throws IOException, WorkspaceException {
    Element root = parse(in, source).getDocumentElement();
    return switch (root.getTagName()) {
      case "Workspace" -> new FlowJoReader(source, root).read();
      case "bdfacs" -> new DivaReader(source, root).read();
      default ->
          throw new WorkspaceException(
              "Cannot read workspace '"
                  + source
                  + "': root element <"
                  + root.getTagName()
                  + "> is neither FlowJo's <Workspace> nor FACSDiva's <bdfacs>");
    };
  }

  private static Document parse(InputStream in, String source)
      throws IOException, WorkspaceException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(in);
    } catch (SAXParseException e) {
      throw new WorkspaceException(
          "Cannot read workspace '"
              + source
              + "': malformed XML at line "
              + e.getLineNumber()
              + ", column "
              + e.getColumnNumber()
              + ": "
              + e.getMessage(),
          e);
    } catch (SAXException | ParserConfigurationException e) {
      throw new WorkspaceException("Cannot read workspace '" + source + "': " + e.getMessage(), e);
    }
  }
}
