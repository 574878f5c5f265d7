package org.cytolake.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Fake personal names for the identifying fields (DM NAME, FCS $SRC, $FIL, PATIENT_NAME, $OP) that
 * pseudonymisation must remove. Invented combinations of common French names; ASCII only.
 */
final class Names {
  private Names() {}

  private static final List<String> FEMALE = List.of("Marie", "Nathalie", "Isabelle", "Sylvie",
      "Catherine", "Francoise", "Valerie", "Christine", "Sandrine", "Stephanie", "Celine",
      "Helene", "Aurelie", "Camille", "Julie", "Sophie", "Laure", "Claire", "Agnes", "Monique",
      "Chantal", "Brigitte", "Emilie", "Lea", "Ines", "Manon", "Pauline", "Anne", "Odile",
      "Josiane");
  private static final List<String> MALE = List.of("Jean", "Philippe", "Michel", "Alain",
      "Patrick", "Nicolas", "Christophe", "Pierre", "Eric", "Laurent", "Frederic", "Sebastien",
      "Julien", "Olivier", "Thierry", "David", "Stephane", "Antoine", "Hugo", "Mathieu", "Karim",
      "Mehdi", "Yves", "Bernard", "Gerard", "Luc", "Romain", "Thomas", "Vincent", "Didier");
  private static final List<String> LAST = List.of("Martin", "Bernard", "Dubois", "Thomas",
      "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre",
      "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
      "Andre", "Lefevre", "Mercier", "Dupont", "Lambert", "Bonnet", "Francois", "Martinez",
      "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel",
      "Nicolas", "Perrin", "Morin", "Mathieu", "Clement", "Gauthier", "Dumont", "Lopez",
      "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gerard", "Nguyen", "Boyer", "Denis",
      "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noel", "Meyer", "Lucas",
      "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun",
      "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud",
      "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine",
      "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier",
      "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Riviere", "Le Gall",
      "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Menard", "Fleury",
      "Deschamps", "Carpentier", "Julien", "Benoit", "Paris", "Maillard", "Marchal", "Aubry",
      "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prevost", "Poirier", "Charpentier",
      "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carre", "Breton", "Remy",
      "Schneider", "Perrot", "Guyot", "Barre", "Marty", "Cousin");
  private static final List<String> OPERATORS = List.of("C. Vautrin", "M. Ferrand",
      "A. Besnier", "S. Kerlan");

  /** {first name, LAST NAME} for a sex ("F" or "M"). */
  static String[] person(SplittableRandom rng, String sex) {
    List<String> first = "F".equals(sex) ? FEMALE : MALE;
    return new String[] {first.get(rng.nextInt(first.size())), LAST.get(rng.nextInt(LAST.size()))};
  }

  /** The operator on duty on a run day. */
  static String operator(SplittableRandom rng) {
    return OPERATORS.get(rng.nextInt(OPERATORS.size()));
  }
}
