package org.cytolake.workspace;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Small DOM helpers for the workspace readers (qualified tag names, as written, namespaces not resolved). */
final class Xml {
  private Xml() {}

  /** Element children with this tag name (any when null), in order. */
  static List<Element> children(Element parent, String tag) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && (tag == null || e.getTagName().equals(tag))) {
        out.add(e);
      }
    }
    return out;
  }

  static Element child(Element parent, String tag) {
    List<Element> c = children(parent, tag);
    return c.isEmpty() ? null : c.get(0);
  }

  static Element firstChild(Element parent) {
    return child(parent, null);
  }

  /** All descendants with this tag name, in document order. */
  static List<Element> descendants(Element parent, String tag) {
    List<Element> out = new ArrayList<>();
    var nl = parent.getElementsByTagName(tag);
    for (int i = 0; i < nl.getLength(); i++) {
      out.add((Element) nl.item(i));
    }
    return out;
  }

  static String text(Element parent, String tag) {
    Element c = child(parent, tag);
    return c == null ? null : c.getTextContent().strip();
  }

  static double doubleAttr(Element e, String name, double absent) {
    String v = e.getAttribute(name);
    if (v.isEmpty()) {
      return absent;
    }
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          "attribute " + name + "='" + v + "' of <" + e.getTagName() + "> is not a number", ex);
    }
  }

  static long longAttr(Element e, String name, long absent) {
    double d = doubleAttr(e, name, absent);
    return (long) d;
  }
}
