package org.cytolake.fcs;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The metadata of one data set of an FCS file: HEADER, keywords, parameters, data layout and where
 * its events are. Building one never reads the DATA segment. When the events cannot be located (DATA
 * past the end of the file, an unsupported encoding), the metadata is still available and
 * {@link #data()} throws the reason.
 */
public final class FcsDataset {
  private final String source;
  private final int index;
  private final long offset;
  private final FcsHeader header;
  private final Keywords keywords;
  private final List<FcsParameter> parameters;
  private final DataType dataType;
  private final ByteOrder byteOrder;
  private final String byteOrderKeyword;
  private final EventLayout layout;
  private final long declaredEvents;
  private final Spillover spillover;
  private final DataSegment data;
  private final FcsFormatException dataError;
  private final long nextOffset;
  private final List<FcsWarning> warnings;

  FcsDataset(
      String source,
      int index,
      long offset,
      FcsHeader header,
      Keywords keywords,
      List<FcsParameter> parameters,
      DataType dataType,
      ByteOrder byteOrder,
      String byteOrderKeyword,
      EventLayout layout,
      long declaredEvents,
      Spillover spillover,
      DataSegment data,
      FcsFormatException dataError,
      long nextOffset,
      List<FcsWarning> warnings) {
    this.source = source;
    this.index = index;
    this.offset = offset;
    this.header = header;
    this.keywords = keywords;
    this.parameters = List.copyOf(parameters);
    this.dataType = dataType;
    this.byteOrder = byteOrder;
    this.byteOrderKeyword = byteOrderKeyword;
    this.layout = layout;
    this.declaredEvents = declaredEvents;
    this.spillover = spillover;
    this.data = data;
    this.dataError = dataError;
    this.nextOffset = nextOffset;
    this.warnings = List.copyOf(warnings);
  }

  /** The file name. */
  public String source() {
    return source;
  }

  /** 0-based position of this data set in the file ({@code $NEXTDATA} chain). */
  public int index() {
    return index;
  }

  /** Absolute offset of this data set's HEADER. */
  public long offset() {
    return offset;
  }

  public FcsHeader header() {
    return header;
  }

  /** Version identifier from the HEADER, e.g. {@code FCS3.1}. */
  public String version() {
    return header.version();
  }

  public Keywords keywords() {
    return keywords;
  }

  public List<FcsParameter> parameters() {
    return parameters;
  }

  /** {@code $DATATYPE}. */
  public DataType dataType() {
    return dataType;
  }

  /** Byte order of multi-byte values, from {@code $BYTEORD}. */
  public ByteOrder byteOrder() {
    return byteOrder;
  }

  /** {@code $BYTEORD} as written (spaces removed), e.g. {@code 4,3,2,1}. */
  public String byteOrderKeyword() {
    return byteOrderKeyword;
  }

  /** {@code $TOT}, or -1 when the keyword is absent (allowed in FCS 2.0). */
  public long declaredEvents() {
    return declaredEvents;
  }

  /**
   * Number of events: those that can be read when the DATA segment was located, else
   * {@code $TOT} (or 0 when absent).
   */
  public long eventCount() {
    return data != null ? data.events() : Math.max(0, declaredEvents);
  }

  /** The spillover matrix stored in the file, if any. */
  public Optional<Spillover> spillover() {
    return Optional.ofNullable(spillover);
  }

  /**
   * Where the events are.
   *
   * @throws FcsFormatException when they cannot be read (the reason is the same on every call)
   */
  public DataSegment data() throws FcsFormatException {
    if (dataError != null) {
      throw dataError;
    }
    return data;
  }

  /** Whether {@link #data()} succeeds. */
  public boolean hasReadableData() {
    return dataError == null;
  }

  /** The reason the events cannot be read, if they cannot. */
  public Optional<FcsFormatException> dataError() {
    return Optional.ofNullable(dataError);
  }

  /** The layout of one event; null when the data type is not binary (ASCII). */
  public EventLayout layout() {
    return layout;
  }

  /** Absolute offset of the next data set, or 0 when this is the last. */
  public long nextOffset() {
    return nextOffset;
  }

  /** Every deviation from the standard that was tolerated while reading this data set. */
  public List<FcsWarning> warnings() {
    return warnings;
  }

  /** Index (0-based) of the parameter whose {@code $PnN} is {@code name}, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < parameters.size(); i++) {
      if (name.equals(parameters.get(i).name())) {
        return i;
      }
    }
    return -1;
  }
}
